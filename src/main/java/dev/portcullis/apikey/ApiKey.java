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
 *
 * <p>Rotation and revocation are conditional updates ({@link #ROTATE}, {@link #REVOKE}) that hold
 * only while the key is unrevoked (and, for a rotation, still has the secret it was read with), so
 * a revocation committed during a rotation stands and two rotations cannot both hand out a working
 * secret. The columns they change are {@code updatable = false}: no entity flush can write a stale
 * secret or {@code revoked_at} back.
 */
@Entity
@Table(name = "api_keys")
@NamedQuery(
    name = ApiKey.OF_OWNER,
    query = "select k from ApiKey k where k.ownerId = :owner order by k.createdAt, k.id")
@NamedQuery(
    name = ApiKey.ROTATE,
    query =
        "update ApiKey k set k.secretHash = :secret, k.previousSecretHash = :previous,"
            + " k.previousValidUntil = :previousValidUntil, k.rotatedAt = :now"
            + " where k.id = :id and k.secretHash = :expected and k.revokedAt is null")
@NamedQuery(
    name = ApiKey.REVOKE,
    query = "update ApiKey k set k.revokedAt = :now where k.id = :id and k.revokedAt is null")
public class ApiKey {

  static final String OF_OWNER = "ApiKey.ofOwner";
  static final String ROTATE = "ApiKey.rotate";
  static final String REVOKE = "ApiKey.revoke";

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

  @Column(name = "secret_hash", nullable = false, length = 64, updatable = false)
  private String secretHash;

  @Column(name = "previous_secret_hash", length = 64, updatable = false)
  private String previousSecretHash;

  @Column(name = "previous_valid_until", updatable = false)
  private Instant previousValidUntil;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "rotated_at", updatable = false)
  private Instant rotatedAt;

  @Column(name = "last_used_at", updatable = false)
  private Instant lastUsedAt;

  @Column(name = "expires_at")
  private Instant expiresAt;

  @Column(name = "revoked_at", updatable = false)
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

  /** The hash of the current secret, which a rotation must still find in place. */
  String secretHash() {
    return secretHash;
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
