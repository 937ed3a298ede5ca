package dev.portcullis.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which rows of the change feed are new, when the feed is read as "every row of the last {@code
 * lookBack}" twice a second.
 *
 * <p>Reading by time rather than "sequence greater than the last one seen" is what makes a late
 * commit safe: sequence numbers are handed out at insert, so a transaction that inserted seq 7 and
 * commits after another one's seq 8 was read would be skipped for good. Every row is seen by
 * several reads; the sequence numbers of the previous read say which ones were delivered already.
 *
 * <p>A row is certain to be read if it commits no later than {@code maxTransaction} after it was
 * inserted and reads are at most {@code lookBack - maxTransaction} apart. When the last successful
 * read is longer ago than that (the database was unreachable), {@link #mayHaveMissed} says so and
 * the caller must treat everything as changed. Not thread-safe: one reader.
 */
final class ChangeWindow {

  /** One row of the feed. */
  record Change(long seq, ChangeKind kind, String key) {}

  private final Duration safeGap;
  private Set<Long> delivered = Set.of();
  private Instant lastRead;

  ChangeWindow(Duration lookBack, Duration maxTransaction) {
    if (maxTransaction.compareTo(lookBack) >= 0) {
      throw new IllegalArgumentException("the look-back must be longer than a transaction");
    }
    this.safeGap = lookBack.minus(maxTransaction);
  }

  /**
   * Whether a read at {@code now} could miss changes committed since the last successful read: true
   * when that read is too long ago. False before the first read (nothing is cached yet).
   */
  boolean mayHaveMissed(Instant now) {
    return lastRead != null && Duration.between(lastRead, now).compareTo(safeGap) > 0;
  }

  /**
   * The rows of {@code window} (every row of the look-back, as read at {@code readAt}) that no
   * earlier read delivered, in sequence order.
   */
  List<Change> next(List<Change> window, Instant readAt) {
    var fresh = new ArrayList<Change>();
    var seen = new HashSet<Long>(window.size() * 2);
    for (var change : window) {
      if (seen.add(change.seq()) && !delivered.contains(change.seq())) {
        fresh.add(change);
      }
    }
    fresh.sort((a, b) -> Long.compare(a.seq(), b.seq()));
    delivered = seen;
    lastRead = readAt;
    return fresh;
  }
}
