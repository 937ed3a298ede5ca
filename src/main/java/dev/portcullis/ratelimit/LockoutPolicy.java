package dev.portcullis.ratelimit;

import java.time.Duration;
import java.time.Instant;

/**
 * When repeated password failures lock an account, and for how long.
 *
 * <p>After {@code threshold} consecutive failures the account is locked for {@code baseDuration};
 * every further failure doubles that, up to {@code maxDuration} — never permanent. A failure more
 * than {@code resetAfter} after the previous one starts counting from one again; a success or an
 * administrator's unlock clears the count. Attempts made while locked are refused without being
 * counted, so a lock cannot be extended beyond one {@code maxDuration} per failure made after it
 * expired.
 *
 * <p>Pure and immutable: the caller passes "now", so tests pin time.
 *
 * @param threshold consecutive failures that lock the account
 * @param baseDuration the first lock
 * @param maxDuration the longest lock
 * @param resetAfter quiet time after which earlier failures are forgotten
 */
public record LockoutPolicy(
    int threshold, Duration baseDuration, Duration maxDuration, Duration resetAfter) {

  /**
   * An account's failure count and lock.
   *
   * @param failures consecutive failures counted
   * @param lastFailureAt when the last one happened
   * @param lockedUntil the end of the current lock, or null
   */
  public record State(int failures, Instant lastFailureAt, Instant lockedUntil) {

    public static final State CLEAR = new State(0, null, null);
  }

  /** Whether an account in {@code state} is locked at {@code now}. */
  public boolean isLocked(State state, Instant now) {
    return state.lockedUntil() != null && now.isBefore(state.lockedUntil());
  }

  /** The state after one more failure at {@code now}. */
  public State afterFailure(State state, Instant now) {
    int failures =
        state.lastFailureAt() != null && !now.isAfter(state.lastFailureAt().plus(resetAfter))
            ? state.failures() + 1
            : 1;
    Duration lock = lockFor(failures);
    return new State(failures, now, lock.isZero() ? null : now.plus(lock));
  }

  /** The lock that {@code failures} consecutive failures earn: zero below the threshold. */
  public Duration lockFor(int failures) {
    if (failures < threshold) {
      return Duration.ZERO;
    }
    int doublings = Math.min(failures - threshold, 30);
    Duration lock = baseDuration.multipliedBy(1L << doublings);
    return lock.compareTo(maxDuration) > 0 ? maxDuration : lock;
  }
}
