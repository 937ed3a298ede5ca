package dev.portcullis.oauth;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * An authorization code, stored as the SHA-256 of its value: what the user authorized, for which
 * client, redirect URI and PKCE challenge. Redeemed once, by a conditional update ({@link
 * #REDEEM}); a second presentation finds {@code redeemed_at} set and revokes the refresh-token
 * family (and so the access tokens) the first one started ({@code family_id}).
 */
@Entity
@Table(name = "oauth_authorization_codes")
@NamedQuery(
    name = AuthorizationCode.REDEEM,
    query =
        "update AuthorizationCode c set c.redeemedAt = :now where c.codeHash = :hash"
            + " and c.redeemedAt is null and c.expiresAt > :now")
@NamedQuery(
    name = AuthorizationCode.SET_FAMILY,
    query = "update AuthorizationCode c set c.familyId = :family where c.codeHash = :hash")
@NamedQuery(
    name = AuthorizationCode.FAMILY_OF,
    query = "select c.familyId from AuthorizationCode c where c.codeHash = :hash")
@NamedQuery(
    name = AuthorizationCode.DELETE_OF_CLIENT,
    query = "delete from AuthorizationCode c where c.clientId = :client")
@NamedQuery(
    name = AuthorizationCode.DELETE_EXPIRED,
    query = "delete from AuthorizationCode c where c.expiresAt < :before")
public class AuthorizationCode {

  static final String REDEEM = "AuthorizationCode.redeem";
  static final String SET_FAMILY = "AuthorizationCode.setFamily";
  static final String FAMILY_OF = "AuthorizationCode.familyOf";
  static final String DELETE_EXPIRED = "AuthorizationCode.deleteExpired";
  static final String DELETE_OF_CLIENT = "AuthorizationCode.deleteOfClient";

  @Id
  @Column(name = "code_hash", length = 64)
  private String codeHash;

  @Column(name = "client_id", nullable = false, length = 64)
  private String clientId;

  @Column(name = "user_id", nullable = false)
  private UUID userId;

  @Column(name = "redirect_uri", nullable = false, length = 512)
  private String redirectUri;

  @Column(name = "scope", nullable = false, length = 1024)
  private String scope;

  @Column(name = "nonce", length = 512)
  private String nonce;

  @Column(name = "code_challenge", length = 128)
  private String codeChallenge;

  @Column(name = "login_session_id", nullable = false)
  private UUID loginSessionId;

  @Column(name = "auth_time", nullable = false)
  private Instant authTime;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "expires_at", nullable = false)
  private Instant expiresAt;

  @Column(name = "redeemed_at", updatable = false)
  private Instant redeemedAt;

  @Column(name = "family_id", updatable = false)
  private UUID familyId;

  protected AuthorizationCode() {}

  AuthorizationCode(
      String codeHash,
      AuthorizationRequest request,
      UUID userId,
      UUID loginSessionId,
      Instant authTime,
      Instant now,
      Instant expiresAt) {
    this.codeHash = codeHash;
    this.clientId = request.client().clientId();
    this.userId = userId;
    this.redirectUri = request.redirectUri();
    this.scope = Scopes.format(request.scopes());
    this.nonce = request.nonce();
    this.codeChallenge = request.codeChallenge();
    this.loginSessionId = loginSessionId;
    this.authTime = authTime;
    this.createdAt = now;
    this.expiresAt = expiresAt;
  }

  public String clientId() {
    return clientId;
  }

  public UUID userId() {
    return userId;
  }

  public String redirectUri() {
    return redirectUri;
  }

  public String scope() {
    return scope;
  }

  public String nonce() {
    return nonce;
  }

  public String codeChallenge() {
    return codeChallenge;
  }

  public UUID loginSessionId() {
    return loginSessionId;
  }

  public Instant authTime() {
    return authTime;
  }

  public Instant expiresAt() {
    return expiresAt;
  }

  public boolean isRedeemed() {
    return redeemedAt != null;
  }
}
