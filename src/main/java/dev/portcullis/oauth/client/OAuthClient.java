package dev.portcullis.oauth.client;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * An OAuth client as stored (SPEC 3.6): its registration, where it came from ({@code api} or {@code
 * file}), and for a confidential client the SHA-256 of its secret — never the secret. List fields
 * are stored space-separated ({@code V13__oauth_clients.sql}); sets sorted, URIs in the order
 * registered.
 *
 * <p>Changes go through the entity under its {@code row_version}, so of two concurrent changes (a
 * {@code PUT}, a secret rotation, a deletion) the second fails instead of writing back what the
 * first replaced. Not thread-safe (a managed entity).
 */
@Entity
@Table(name = "oauth_clients")
@NamedQuery(
    name = OAuthClient.ALL,
    query = "select c from OAuthClient c order by c.createdAt, c.clientId")
@NamedQuery(
    name = OAuthClient.OF_SOURCE,
    query = "select c from OAuthClient c where c.source = :source order by c.clientId")
public class OAuthClient {

  static final String ALL = "OAuthClient.all";
  static final String OF_SOURCE = "OAuthClient.ofSource";

  /** {@link #source()} of a client registered through the admin API. */
  public static final String SOURCE_API = "api";

  /** {@link #source()} of a client from the clients file. */
  public static final String SOURCE_FILE = "file";

  @Id
  @Column(name = "client_id", length = 64)
  private String clientId;

  @Column(nullable = false, length = ClientRequests.NAME_MAX)
  private String name;

  @Column(name = "redirect_uris", nullable = false, length = 10260)
  private String redirectUris;

  @Column(name = "post_logout_redirect_uris", nullable = false, length = 10260)
  private String postLogoutRedirectUris;

  @Column(name = "grant_types", nullable = false, length = 64)
  private String grantTypes;

  @Column(name = "token_endpoint_auth_method", nullable = false, length = 32)
  private String authMethod;

  @Column(nullable = false, length = 3250)
  private String scopes;

  @Column(name = "require_pkce", nullable = false)
  private boolean requirePkce;

  @Column(nullable = false, length = 16)
  private String consent;

  @Column(name = "access_token_profile", nullable = false, length = 16)
  private String accessTokenProfile;

  @Column(nullable = false, length = 3250)
  private String roles;

  @Column(name = "access_token_ttl_seconds")
  private Long accessTokenTtlSeconds;

  @Column(name = "refresh_token_ttl_seconds")
  private Long refreshTokenTtlSeconds;

  @Column(name = "secret_hash", length = 64)
  private String secretHash;

  @Column(nullable = false, length = 8, updatable = false)
  private String source;

  @Column(name = "created_at", nullable = false, updatable = false)
  private Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  private Instant updatedAt;

  @Version
  @Column(name = "row_version", nullable = false)
  private long rowVersion;

  protected OAuthClient() {}

  /**
   * A new client: {@code registration}, its secret's hash (null for a public client), stored now.
   */
  OAuthClient(RegisteredClient registration, String secretHash, Instant now) {
    this.clientId = registration.clientId();
    this.source = registration.fromFile() ? SOURCE_FILE : SOURCE_API;
    this.createdAt = now;
    replace(registration, secretHash, now);
  }

  /**
   * Replaces every mutable field with {@code registration}'s (the id and source stay) and the
   * secret's hash with {@code newSecretHash}.
   */
  void replace(RegisteredClient registration, String newSecretHash, Instant now) {
    this.name = registration.name();
    this.redirectUris = String.join(" ", registration.redirectUris());
    this.postLogoutRedirectUris = String.join(" ", registration.postLogoutRedirectUris());
    this.grantTypes = sorted(registration.grantTypes());
    this.authMethod = registration.authMethod().wireName();
    this.scopes = sorted(registration.scopes());
    this.requirePkce = registration.requirePkce();
    this.consent = registration.consentRequired() ? "required" : "implicit";
    this.accessTokenProfile = registration.accessTokenProfile().wireName();
    this.roles = sorted(registration.roles());
    this.accessTokenTtlSeconds =
        registration.accessTokenTtl().map(Duration::toSeconds).orElse(null);
    this.refreshTokenTtlSeconds =
        registration.refreshTokenTtl().map(Duration::toSeconds).orElse(null);
    this.secretHash = newSecretHash;
    this.updatedAt = now;
  }

  /** A new secret (its hash): the previous one stops working when this commits. */
  void newSecret(String newSecretHash, Instant now) {
    this.secretHash = newSecretHash;
    this.updatedAt = now;
  }

  public String clientId() {
    return clientId;
  }

  /** {@link #SOURCE_API} or {@link #SOURCE_FILE}. */
  public String source() {
    return source;
  }

  public boolean fromFile() {
    return SOURCE_FILE.equals(source);
  }

  public Instant createdAt() {
    return createdAt;
  }

  public Instant updatedAt() {
    return updatedAt;
  }

  /** The hash of its secret; null for a public client. Never leaves the package. */
  String secretHash() {
    return secretHash;
  }

  /** The registration as the authorization server sees it: no secret, no hash. */
  public RegisteredClient registered() {
    return new RegisteredClient(
        clientId,
        name,
        list(redirectUris),
        list(postLogoutRedirectUris),
        new TreeSet<>(list(grantTypes)),
        ClientAuthMethod.fromWire(authMethod).orElseThrow(),
        new TreeSet<>(list(scopes)),
        requirePkce,
        "required".equals(consent),
        AccessTokenProfile.fromWire(accessTokenProfile).orElseThrow(),
        new TreeSet<>(list(roles)),
        Optional.ofNullable(accessTokenTtlSeconds).map(Duration::ofSeconds),
        Optional.ofNullable(refreshTokenTtlSeconds).map(Duration::ofSeconds),
        fromFile());
  }

  /** The immutable view the authentication path caches. */
  ClientRecord record() {
    return new ClientRecord(registered(), secretHash);
  }

  private static String sorted(Collection<String> values) {
    return String.join(" ", new TreeSet<>(values));
  }

  private static List<String> list(String joined) {
    return Arrays.stream(joined.split(" ")).filter(s -> !s.isEmpty()).toList();
  }
}
