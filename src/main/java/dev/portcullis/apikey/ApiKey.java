package dev.portcullis.apikey;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * An API key as stored: owner, name, scopes, optional audience and expiry, and the SHA-256 of its
 * secret — never the key. During a rotation's grace period the previous secret's hash still
 * verifies until {@code previousValidUntil}.
 */
@Entity
@Table(name = "api_keys")
@NamedQuery(
    name = ApiKey.OF_OWNER,
    query = "select k from ApiKey k where k.ownerId = :owner order by k.createdAt, k.id")
public class ApiKey {

  static final String OF_OWNER = "ApiKey.ofOwner";

  public static final int NAME_MAX = 100;
  public static final int AUDIENCE_MAX = 200;

  @Id
  @Column(length = 16)
  private String id;

  @Column(name = "owner_id", nullable = false)
  private UUID ownerId;

  @Column(nullable = false, length = NAME_MAX)
  private String name;

  @Column(nullable = false, length = 1000)
  private String scopes;

  @Column(length = AUDIENCE_MAX)
  private String audience;

  @Column(name = "secret_hash", nullable = false, length = 64)
  private String secretHash;

  @Column(name = "previous_secret_hash", length = 64)
  private String previousSecretHash;

  @Column(name = "previous_valid_until")
  private Instant previousValidUntil;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "rotated_at")
  private Instant rotatedAt;

  @Column(name = "last_used_at")
  private Instant lastUsedAt;

  @Column(name = "expires_at")
  private Instant expiresAt;

  @Column(name = "revoked_at")
  private Instant revokedAt;

  protected ApiKey() {}

  ApiKey(
      String id,
      UUID ownerId,
      String name,
      Set<String> scopes,
      String audience,
      String secretHash,
      Instant now,
      Instant expiresAt) {
    this.id = id;
    this.ownerId = ownerId;
    this.name = name;
    this.scopes = String.join(" ", new TreeSet<>(scopes));
    this.audience = audience;
    this.secretHash = secretHash;
    this.createdAt = now;
    this.expiresAt = expiresAt;
  }

  public String id() {
    return id;
  }

  public UUID ownerId() {
    return ownerId;
  }

  public String name() {
    return name;
  }

  public Set<String> scopes() {
    return Arrays.stream(scopes.split(" "))
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }

  public String audience() {
    return audience;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public Instant rotatedAt() {
    return rotatedAt;
  }

  public Instant lastUsedAt() {
    return lastUsedAt;
  }

  public Instant expiresAt() {
    return expiresAt;
  }

  public Instant revokedAt() {
    return revokedAt;
  }

  public Instant previousValidUntil() {
    return previousValidUntil;
  }

  void revoke(Instant now) {
    if (revokedAt == null) {
      revokedAt = now;
    }
  }

  void rotate(String newSecretHash, Instant now, Instant previousValidUntil) {
    this.previousSecretHash = previousValidUntil.isAfter(now) ? secretHash : null;
    this.previousValidUntil = previousValidUntil.isAfter(now) ? previousValidUntil : null;
    this.secretHash = newSecretHash;
    this.rotatedAt = now;
  }

  /** The immutable view the authentication path caches. */
  ApiKeyRecord record() {
    return new ApiKeyRecord(
        id,
        ownerId,
        scopes(),
        audience,
        secretHash,
        previousSecretHash,
        previousValidUntil,
        expiresAt,
        revokedAt);
  }
}
