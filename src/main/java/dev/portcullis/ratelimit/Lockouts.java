package dev.portcullis.ratelimit;

import dev.portcullis.audit.AuditEventType;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.audit.ClientInfo;
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
 * The per-account lock-out ({@link LockoutPolicy}), kept in {@code login_failures} so it survives a
 * restart and holds on every node.
 *
 * <p>A lock is not an answer: {@code PasswordLogins} refuses a locked account with the same 401
 * {@code INVALID_CREDENTIALS}, after the same password hash, as a wrong password. Locking writes a
 * {@code LOCKED_OUT} audit event; an administrator's unlock writes {@code USER_UNLOCKED}.
 * Thread-safe; concurrent failures of one account serialise on its row.
 */
@ApplicationScoped
public class Lockouts {

  @PersistenceContext EntityManager em;

  @Inject RateLimitSettings settings;
  @Inject AuditLog audit;
  @Inject Clock clock;

  /** Whether the account is locked now. */
  @Transactional
  public boolean isLocked(UUID userId) {
    var row = em.find(LoginFailure.class, userId);
    return row != null && settings.lockout().isLocked(row.state(), clock.instant());
  }

  /** Whether there are failures to forget (so a success writes only when it has to). */
  @Transactional
  public boolean hasFailures(UUID userId) {
    return em.find(LoginFailure.class, userId) != null;
  }

  /** Counts a wrong password; audits {@code LOCKED_OUT} when this failure locks the account. */
  @Transactional
  public void failed(UUID userId, ClientInfo client) {
    Instant now = clock.instant();
    var row = em.find(LoginFailure.class, userId, LockModeType.PESSIMISTIC_WRITE);
    var policy = settings.lockout();
    var after = policy.afterFailure(row == null ? LockoutPolicy.State.CLEAR : row.state(), now);
    if (row == null) {
      row = new LoginFailure(userId);
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
                      + policy.lockFor(after.failures()).toSeconds()));
    }
  }

  /** Forgets the failures after a successful login. */
  @Transactional
  public void succeeded(UUID userId) {
    var row = em.find(LoginFailure.class, userId);
    if (row != null) {
      em.remove(row);
    }
  }

  /** An administrator lifts the lock and forgets the failures; audited. */
  @Transactional
  public void unlock(UUID userId, String actor, ClientInfo client) {
    var row = em.find(LoginFailure.class, userId);
    boolean wasLocked = row != null && settings.lockout().isLocked(row.state(), clock.instant());
    if (row != null) {
      em.remove(row);
    }
    audit.record(
        AuditRecord.success(AuditEventType.USER_UNLOCKED, userId.toString(), client)
            .by(actor)
            .withDetail("was_locked=" + wasLocked));
  }
}
