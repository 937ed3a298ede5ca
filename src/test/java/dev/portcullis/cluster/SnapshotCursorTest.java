package dev.portcullis.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SnapshotCursorTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  private final SnapshotCursor cursor = new SnapshotCursor(Duration.ofMinutes(45));

  @Test
  void hasNoSnapshotAndHasMissedNothingBeforeTheFirstRead() {
    assertThat(cursor.snapshot()).isNull();
    assertThat(cursor.mayHaveMissed(T0.plus(Duration.ofDays(1)))).isFalse();
  }

  @Test
  void readsOnFromTheSnapshotOfTheLastSuccessfulRead() {
    cursor.advance("100:104:101,103", T0);
    cursor.advance("105:105:", T0.plusMillis(500));
    assertThat(cursor.snapshot()).isEqualTo("105:105:");
  }

  @Test
  void aReaderCutOffForMinutesHasMissedNothing() {
    // a failed read does not advance: the next one reads every row committed since
    cursor.advance("100:100:", T0);
    assertThat(cursor.mayHaveMissed(T0.plus(Duration.ofMinutes(30)))).isFalse();
    assertThat(cursor.snapshot()).isEqualTo("100:100:");
  }

  @Test
  void aReaderCutOffForLongerThanRowsAreKeptMayHaveMissedSome() {
    cursor.advance("100:100:", T0);
    assertThat(cursor.mayHaveMissed(T0.plus(Duration.ofMinutes(45)))).isFalse();
    assertThat(cursor.mayHaveMissed(T0.plus(Duration.ofMinutes(45)).plusMillis(1))).isTrue();
  }

  @Test
  void refusesANonPositiveSpan() {
    assertThatThrownBy(() -> new SnapshotCursor(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
