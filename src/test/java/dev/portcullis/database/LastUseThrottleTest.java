package dev.portcullis.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LastUseThrottleTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  private final LastUseThrottle<String> throttle = new LastUseThrottle<>(Duration.ofMinutes(1));

  @Test
  void aFirstUseIsDue() {
    assertThat(throttle.due("k1", T0)).isTrue();
  }

  @Test
  void aUseWithinTheGranularityOfTheLastWriteIsNotDue() {
    throttle.written(Map.of("k1", T0));
    assertThat(throttle.due("k1", T0.plusSeconds(59))).isFalse();
    assertThat(throttle.due("k2", T0.plusSeconds(59))).as("another key").isTrue();
    assertThat(throttle.due("k1", T0.plusSeconds(60))).isTrue();
  }

  @Test
  void pruningForgetsOnlyWritesWhoseGranularityHasPassed() {
    throttle.written(Map.of("old", T0, "recent", T0.plusSeconds(30)));
    throttle.prune(T0.plusSeconds(60));
    assertThat(throttle.due("old", T0.plusSeconds(60))).isTrue();
    assertThat(throttle.due("recent", T0.plusSeconds(60))).isFalse();
  }
}
