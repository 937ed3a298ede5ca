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
    name = RefreshFamily.RECENTLY_REVOKED,
    query = "select f.id, f.revokedAt from RefreshFamily f where f.revokedAt > :since")
public class RefreshFamily {

  static final String ACTIVE_IDS_OF_USER = "RefreshFamily.activeIdsOfUser";
  static final String ACTIVE_OF_USER = "RefreshFamily.activeOfUser";
  static final String REVOKE_ALL_OF_USER = "RefreshFamily.revokeAllOfUser";
  static final String RECENTLY_REVOKED = "RefreshFamily.recentlyRevoked";

  @Id private UUID id;

  @Column(name = "user_id", nullable = false)
  private UUID userId;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "last_used_at", nullable = false)
  private Instant lastUsedAt;

  @Column(name = "expires_at", nullable = false)
  private Instant expiresAt;

  @Column(name = "revoked_at")
  private Instant revokedAt;

  @Column(name = "revoke_reason", length = 32)
  private String revokeReason;

  @Column(name = "client_ip", length = 64)
  private String clientIp;

  @Column(name = "user_agent", length = 256)
  private String userAgent;

  @Column(name = "auth_method", nullable = false, length = 16)
  private String authMethod;

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

  void used(Instant now) {
    this.lastUsedAt = now;
  }

  void revoke(Instant now, String reason) {
    if (revokedAt == null) {
      this.revokedAt = now;
      this.revokeReason = reason;
    }
  }
}
