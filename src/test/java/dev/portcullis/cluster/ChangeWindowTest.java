package dev.portcullis.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.cluster.ChangeWindow.Change;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeWindowTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  private final ChangeWindow window =
      new ChangeWindow(Duration.ofSeconds(30), Duration.ofSeconds(10));

  private static Change key(long seq) {
    return new Change(seq, ChangeKind.API_KEY, "key" + seq);
  }

  @Test
  void deliversEachRowOnceAlthoughEveryReadSeesItAgain() {
    assertThat(window.next(List.of(key(1), key(2)), T0)).containsExactly(key(1), key(2));
    assertThat(window.next(List.of(key(1), key(2), key(3)), T0.plusSeconds(1)))
        .containsExactly(key(3));
    assertThat(window.next(List.of(key(2), key(3)), T0.plusSeconds(2))).isEmpty();
  }

  @Test
  void deliversALateCommitWhoseSequenceIsBelowOnesAlreadyDelivered() {
    // seq 7 was inserted before seq 8 but committed after the read that delivered 8
    assertThat(window.next(List.of(key(8)), T0)).containsExactly(key(8));
    assertThat(window.next(List.of(key(7), key(8)), T0.plusSeconds(1))).containsExactly(key(7));
  }

  @Test
  void deliversInSequenceOrder() {
    assertThat(window.next(List.of(key(5), key(3), key(4)), T0))
        .containsExactly(key(3), key(4), key(5));
  }

  @Test
  void saysNothingWasMissedBeforeTheFirstReadOrWhileReadsAreFrequent() {
    assertThat(window.mayHaveMissed(T0)).isFalse();
    window.next(List.of(), T0);
    assertThat(window.mayHaveMissed(T0.plusSeconds(20))).isFalse();
  }

  @Test
  void saysChangesMayHaveBeenMissedWhenTheLastReadIsLongerAgoThanIsSafe() {
    window.next(List.of(), T0);
    // look-back 30 s minus the longest transaction 10 s
    assertThat(window.mayHaveMissed(T0.plusSeconds(21))).isTrue();
    window.next(List.of(), T0.plusSeconds(21));
    assertThat(window.mayHaveMissed(T0.plusSeconds(22))).isFalse();
  }

  @Test
  void refusesALookBackNoLongerThanATransaction() {
    assertThatThrownBy(() -> new ChangeWindow(Duration.ofSeconds(5), Duration.ofSeconds(5)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
