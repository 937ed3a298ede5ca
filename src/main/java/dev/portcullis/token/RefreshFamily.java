package dev.portcullis.token;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * One login's chain of refresh tokens (its id is the {@code sid} of every access token issued from
 * it). Revoking the family ends the login: its refresh tokens and access tokens stop working.
 *
 * <p>The entity is read, never written back: every change after the insert is a conditional {@code
 * UPDATE} ({@link #TOUCH}, {@link #REVOKE}, {@link #REVOKE_OWNED}, {@link #REVOKE_ALL_OF_USER})
 * whose {@code WHERE revoked_at IS NULL} the database re-checks under the row lock, so a revocation
 * that commits while a rotation is under way always stands (SECURITY.md, "Authority along every
 * path"). The mutable columns are {@code updatable = false}, so no entity flush can write a stale
 * {@code revoked_at} back.
 */
@Entity
@Table(name = "refresh_families")
@NamedQuery(
    name = RefreshFamily.ACTIVE_IDS_OF_USER,
    query = "select f.id from RefreshFamily f where f.userId = :user and f.revokedAt is null")
@NamedQuery(
    name = RefreshFamily.REVOKE_ALL_OF_USER,
    query =
        "update RefreshFamily f set f.revokedAt = :now, f.revokeReason = :reason"
            + " where f.userId = :user and f.revokedAt is null")
@NamedQuery(
    name = RefreshFamily.ACTIVE_OF_USER,
    query =
        "select f from RefreshFamily f where f.userId = :user and f.revokedAt is null"
            + " and f.expiresAt > :now order by f.createdAt")
@NamedQuery(
    name = RefreshFamily.TOUCH,
    query =
        "update RefreshFamily f set f.lastUsedAt = :now"
            + " where f.id = :id and f.revokedAt is null and f.expiresAt > :now")
@NamedQuery(
    name = RefreshFamily.REVOKE,
    query =
        "update RefreshFamily f set f.revokedAt = :now, f.revokeReason = :reason"
            + " where f.id = :id and f.revokedAt is null")
@NamedQuery(
    name = RefreshFamily.REVOKE_OWNED,
    query =
        "update RefreshFamily f set f.revokedAt = :now, f.revokeReason = :reason"
            + " where f.id = :id and f.userId = :user and f.revokedAt is null")
@NamedQuery(
    name = RefreshFamily.ACTIVE_IDS_OF_CLIENT,
    query = "select f.id from RefreshFamily f where f.clientId = :client and f.revokedAt is null")
@NamedQuery(
    name = RefreshFamily.ACTIVE_IDS_OF_CLIENT_AND_USER,
    query =
        "select f.id from RefreshFamily f where f.clientId = :client and f.userId = :user"
            + " and f.revokedAt is null")
@NamedQuery(
    name = RefreshFamily.RECENTLY_REVOKED,
    query = "select f.id, f.revokedAt from RefreshFamily f where f.revokedAt > :since")
public class RefreshFamily {

  static final String ACTIVE_IDS_OF_USER = "RefreshFamily.activeIdsOfUser";
  static final String ACTIVE_IDS_OF_CLIENT = "RefreshFamily.activeIdsOfClient";
  static final String ACTIVE_IDS_OF_CLIENT_AND_USER = "RefreshFamily.activeIdsOfClientAndUser";
  static final String ACTIVE_OF_USER = "RefreshFamily.activeOfUser";
  static final String REVOKE_ALL_OF_USER = "RefreshFamily.revokeAllOfUser";
  static final String RECENTLY_REVOKED = "RefreshFamily.recentlyRevoked";
  static final String TOUCH = "RefreshFamily.touch";
  static final String REVOKE = "RefreshFamily.revoke";
  static final String REVOKE_OWNED = "RefreshFamily.revokeOwned";

  @Id private UUID id;

  @Column(name = "user_id", nullable = false)
  private UUID userId;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "last_used_at", nullable = false, updatable = false)
  private Instant lastUsedAt;

  @Column(name = "expires_at", nullable = false)
  private Instant expiresAt;

  @Column(name = "revoked_at", updatable = false)
  private Instant revokedAt;

  @Column(name = "revoke_reason", length = 32, updatable = false)
  private String revokeReason;

  @Column(name = "client_ip", length = 64)
  private String clientIp;

  @Column(name = "user_agent", length = 256)
  private String userAgent;

  @Column(name = "auth_method", nullable = false, length = 64)
  private String authMethod;

  @Column(name = "client_id", length = 64)
  private String clientId;

  @Column(name = "scope", length = 1024)
  private String scope;

  @Column(name = "auth_time")
  private Instant authTime;

  @Column(name = "login_session_id")
  private UUID loginSessionId;

  protected RefreshFamily() {}

  RefreshFamily(
      UUID userId,
      Instant now,
      Instant expiresAt,
      String clientIp,
      String userAgent,
      String authMethod) {
    this.id = UUID.randomUUID();
    this.userId = userId;
    this.createdAt = now;
    this.lastUsedAt = now;
    this.expiresAt = expiresAt;
    this.clientIp = clientIp;
    this.userAgent = userAgent;
    this.authMethod = authMethod;
  }

  RefreshFamily(
      UUID userId,
      Instant now,
      Instant expiresAt,
      String clientIp,
      String userAgent,
      String authMethod,
      ClientGrant grant) {
    this(userId, now, expiresAt, clientIp, userAgent, authMethod);
    this.clientId = grant.clientId();
    this.scope = grant.scope();
    this.authTime = grant.authTime();
    this.loginSessionId = grant.loginSessionId();
  }

  /** What an OAuth client was granted, or null for a first-party login. */
  public ClientGrant grant() {
    return clientId == null
        ? null
        : new ClientGrant(clientId, scope, authTime, loginSessionId, authMethod);
  }

  public String clientId() {
    return clientId;
  }

  public UUID id() {
    return id;
  }

  public UUID userId() {
    return userId;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public Instant lastUsedAt() {
    return lastUsedAt;
  }

  public String clientIp() {
    return clientIp;
  }

  public String userAgent() {
    return userAgent;
  }

  public Instant expiresAt() {
    return expiresAt;
  }

  public Instant revokedAt() {
    return revokedAt;
  }

  public boolean isRevoked() {
    return revokedAt != null;
  }
}
