package dev.portcullis.ratelimit;

import dev.portcullis.audit.AuditEventType;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.web.ClientInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * The lock-out ({@link LockoutPolicy}) per account <em>and client network</em> ({@link
 * RateLimits#networkKey}), kept in {@code login_failures} so it survives a restart and holds on
 * every node.
 *
 * <p>Failures from one network lock the account for that network only: an attacker elsewhere cannot
 * keep the owner out by guessing (Keycloak's brute-force detection, by contrast, locks the account
 * for everyone). A success from a network forgets that network's failures and leaves the others' in
 * place; an administrator's unlock forgets them all.
 *
 * <p>A lock is not an answer: {@code PasswordLogins} refuses a locked account with the same 401
 * {@code INVALID_CREDENTIALS} as a wrong password, after one dummy hash. Locking writes a {@code
 * LOCKED_OUT} audit event; an administrator's unlock writes {@code USER_UNLOCKED}. Thread-safe;
 * concurrent failures of one account and network serialise on its row.
 */
@ApplicationScoped
public class Lockouts {

  @PersistenceContext EntityManager em;

  @Inject RateLimitSettings settings;
  @Inject AuditLog audit;
  @Inject Clock clock;

  /** Whether the account is locked now for clients in {@code network}. */
  @Transactional
  public boolean isLocked(UUID userId, String network) {
    var row = em.find(LoginFailure.class, LoginFailure.key(userId, network));
    return row != null && settings.lockout().isLocked(row.state(), clock.instant());
  }

  /**
   * Counts a wrong password from {@code network}; audits {@code LOCKED_OUT} when this failure locks
   * the account for that network.
   */
  @Transactional
  public void failed(UUID userId, String network, ClientInfo client) {
    Instant now = clock.instant();
    var key = LoginFailure.key(userId, network);
    var row = em.find(LoginFailure.class, key, LockModeType.PESSIMISTIC_WRITE);
    var policy = settings.lockout();
    var after = policy.afterFailure(row == null ? LockoutPolicy.State.CLEAR : row.state(), now);
    if (row == null) {
      row = new LoginFailure(key);
      row.set(after);
      em.persist(row);
    } else {
      row.set(after);
    }
    if (after.lockedUntil() != null) {
      audit.record(
          AuditRecord.failure(
                  AuditEventType.LOCKED_OUT, "TOO_MANY_FAILURES", userId.toString(), client)
              .withDetail(
                  "failures="
                      + after.failures()
                      + " seconds="
                      + policy.lockFor(after.failures()).toSeconds()
                      + " network="
                      + key.network()));
    }
  }

  /** Forgets the failures from {@code network} after a successful login from it. */
  @Transactional
  public void succeeded(UUID userId, String network) {
    var row = em.find(LoginFailure.class, LoginFailure.key(userId, network));
    if (row != null) {
      em.remove(row);
    }
  }

  /** An administrator lifts every network's lock and forgets the failures; audited. */
  @Transactional
  public void unlock(UUID userId, String actor, ClientInfo client) {
    Instant now = clock.instant();
    boolean wasLocked =
        em.createNamedQuery(LoginFailure.LOCKED_OF_USER, Long.class)
                .setParameter("user", userId)
                .setParameter("now", now)
                .getSingleResult()
            > 0;
    em.createNamedQuery(LoginFailure.DELETE_OF_USER).setParameter("user", userId).executeUpdate();
    audit.record(
        AuditRecord.success(AuditEventType.USER_UNLOCKED, userId.toString(), client)
            .by(actor)
            .withDetail("was_locked=" + wasLocked));
  }
}
