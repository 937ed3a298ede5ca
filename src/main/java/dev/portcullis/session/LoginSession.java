package dev.portcullis.session;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A browser session: the {@code __Host-portcullis} cookie carries a 256-bit random value; the row
 * holds only its SHA-256. Ends at the idle deadline (last seen + idle timeout), the absolute
 * deadline, logout, or revocation. Survives restarts.
 *
 * <p>Ending a session is a conditional update ({@link #REVOKE}, {@link #REVOKE_ALL_OF_USER}, {@code
 * WHERE revoked_at IS NULL}), never a loaded entity written back: whichever revocation commits
 * first is the one on record, with its time and reason. {@code revoked_at}, {@code revoke_reason}
 * and {@code last_seen_at} (written in batches) are {@code updatable = false}.
 */
@Entity
@Table(name = "login_sessions")
@NamedQuery(
    name = LoginSession.BY_TOKEN_HASH,
    query = "select s from LoginSession s where s.tokenHash = :hash")
@NamedQuery(
    name = LoginSession.OF_USER,
    query =
        "select s from LoginSession s where s.userId = :user and s.revokedAt is null"
            + " and s.absoluteExpiresAt > :now order by s.createdAt")
@NamedQuery(
    name = LoginSession.REVOKE,
    query =
        "update LoginSession s set s.revokedAt = :now, s.revokeReason = :reason"
            + " where s.id = :id and s.revokedAt is null")
@NamedQuery(
    name = LoginSession.REVOKE_ALL_OF_USER,
    query =
        "update LoginSession s set s.revokedAt = :now, s.revokeReason = :reason"
            + " where s.userId = :user and s.revokedAt is null")
public class LoginSession {

  static final String BY_TOKEN_HASH = "LoginSession.byTokenHash";
  static final String OF_USER = "LoginSession.ofUser";
  static final String REVOKE = "LoginSession.revoke";
  static final String REVOKE_ALL_OF_USER = "LoginSession.revokeAllOfUser";

  @Id private UUID id;

  @Column(name = "token_hash", nullable = false, length = 64)
  private String tokenHash;

  @Column(name = "user_id", nullable = false)
  private UUID userId;

  @Column(name = "csrf_token", nullable = false, length = 64)
  private String csrfToken;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "last_seen_at", nullable = false, updatable = false)
  private Instant lastSeenAt;

  @Column(name = "absolute_expires_at", nullable = false)
  private Instant absoluteExpiresAt;

  @Column(name = "client_ip", length = 64)
  private String clientIp;

  @Column(name = "user_agent", length = 256)
  private String userAgent;

  @Column(name = "auth_method", nullable = false, length = 64)
  private String authMethod;

  @Column(name = "revoked_at", updatable = false)
  private Instant revokedAt;

  @Column(name = "revoke_reason", length = 32, updatable = false)
  private String revokeReason;

  protected LoginSession() {}

  LoginSession(
      String tokenHash,
      UUID userId,
      String csrfToken,
      Instant now,
      Instant absoluteExpiresAt,
      String clientIp,
      String userAgent,
      String authMethod) {
    this.id = UUID.randomUUID();
    this.tokenHash = tokenHash;
    this.userId = userId;
    this.csrfToken = csrfToken;
    this.createdAt = now;
    this.lastSeenAt = now;
    this.absoluteExpiresAt = absoluteExpiresAt;
    this.clientIp = clientIp;
    this.userAgent = userAgent;
    this.authMethod = authMethod;
  }

  public UUID id() {
    return id;
  }

  String tokenHash() {
    return tokenHash;
  }

  public UUID userId() {
    return userId;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public Instant lastSeenAt() {
    return lastSeenAt;
  }

  public Instant absoluteExpiresAt() {
    return absoluteExpiresAt;
  }

  public String clientIp() {
    return clientIp;
  }

  public String userAgent() {
    return userAgent;
  }

  public String authMethod() {
    return authMethod;
  }

  public Instant revokedAt() {
    return revokedAt;
  }

  /**
   * Marks this object ended, in memory only (tests' stand-in stores): the columns are not
   * updatable, and {@link SessionService} ends sessions with {@link #REVOKE}.
   */
  void revoke(Instant now, String reason) {
    if (revokedAt == null) {
      revokedAt = now;
      revokeReason = reason;
    }
  }

  SessionRecord record() {
    return new SessionRecord(
        id, userId, csrfToken, lastSeenAt, absoluteExpiresAt, revokedAt, createdAt, authMethod);
  }
}
