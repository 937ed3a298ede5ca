package dev.portcullis.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LockoutPolicyTest {

  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  private final LockoutPolicy policy =
      new LockoutPolicy(5, Duration.ofSeconds(30), Duration.ofMinutes(15), Duration.ofHours(1));

  private LockoutPolicy.State fail(int times, Instant at) {
    var state = LockoutPolicy.State.CLEAR;
    for (int i = 0; i < times; i++) {
      state = policy.afterFailure(state, at);
    }
    return state;
  }

  @Test
  void locksOnlyAtTheThreshold() {
    assertThat(policy.isLocked(fail(4, T0), T0)).isFalse();
    var locked = fail(5, T0);
    assertThat(policy.isLocked(locked, T0)).isTrue();
    assertThat(locked.lockedUntil()).isEqualTo(T0.plusSeconds(30));
  }

  @Test
  void lockExpiresByItself() {
    var locked = fail(5, T0);
    assertThat(policy.isLocked(locked, T0.plusSeconds(29))).isTrue();
    assertThat(policy.isLocked(locked, T0.plusSeconds(30))).isFalse();
  }

  @Test
  void eachFurtherFailureDoublesTheLockUpToTheCap() {
    assertThat(policy.lockFor(6)).isEqualTo(Duration.ofMinutes(1));
    assertThat(policy.lockFor(7)).isEqualTo(Duration.ofMinutes(2));
    assertThat(policy.lockFor(10)).isEqualTo(Duration.ofMinutes(15));
    assertThat(policy.lockFor(1_000_000)).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void neverLocksLongerThanTheCapAfterTheLastFailure() {
    var state = fail(50, T0);
    assertThat(state.lockedUntil()).isEqualTo(T0.plus(Duration.ofMinutes(15)));
    assertThat(policy.isLocked(state, T0.plus(Duration.ofMinutes(15)))).isFalse();
  }

  @Test
  void failuresAreForgottenAfterAQuietHour() {
    var state = fail(4, T0);
    var later = policy.afterFailure(state, T0.plus(Duration.ofMinutes(61)));
    assertThat(later.failures()).isEqualTo(1);
    assertThat(policy.isLocked(later, T0.plus(Duration.ofMinutes(61)))).isFalse();
    var sooner = policy.afterFailure(state, T0.plus(Duration.ofMinutes(59)));
    assertThat(sooner.failures()).isEqualTo(5);
    assertThat(policy.isLocked(sooner, T0.plus(Duration.ofMinutes(59)))).isTrue();
  }
}
