package dev.portcullis.ratelimit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * An account's consecutive password failures and current lock ({@link LockoutPolicy}). No row means
 * no failures.
 */
@Entity
@Table(name = "login_failures")
public class LoginFailure {

  @Id
  @Column(name = "user_id")
  private UUID userId;

  @Column(nullable = false)
  private int failures;

  @Column(name = "last_failure_at", nullable = false)
  private Instant lastFailureAt;

  @Column(name = "locked_until")
  private Instant lockedUntil;

  protected LoginFailure() {}

  LoginFailure(UUID userId) {
    this.userId = userId;
  }

  LockoutPolicy.State state() {
    return new LockoutPolicy.State(failures, lastFailureAt, lockedUntil);
  }

  void set(LockoutPolicy.State state) {
    this.failures = state.failures();
    this.lastFailureAt = state.lastFailureAt();
    this.lockedUntil = state.lockedUntil();
  }
}
