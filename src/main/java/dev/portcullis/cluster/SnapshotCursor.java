package dev.portcullis.cluster;

import java.time.Duration;
import java.time.Instant;

/**
 * Where a PostgreSQL reader of the change feed stands: the snapshot of its last successful read
 * (the text of {@code pg_current_snapshot()}), from which the next read takes exactly the rows that
 * snapshot could not see — every row committed since, however long its transaction ran.
 *
 * <p>Nothing is lost while the database is unreachable: the next read goes on from the same
 * snapshot. Only rows deleted in the meantime could be missed, and the feed deletes rows {@code
 * purgeAfter} after they were written; so when the last read is longer ago than {@code
 * readableFor}, {@link #mayHaveMissed} says so and the caller must treat everything as changed. Not
 * thread-safe: one reader.
 */
final class SnapshotCursor {

  private final Duration readableFor;
  private String snapshot;
  private Instant readAt;

  /**
   * @param readableFor how long after a read the rows it has not seen yet are certainly still there
   *     (less than the purge age by at least the longest transaction)
   */
  SnapshotCursor(Duration readableFor) {
    if (readableFor.isNegative() || readableFor.isZero()) {
      throw new IllegalArgumentException("readableFor must be positive");
    }
    this.readableFor = readableFor;
  }

  /** The snapshot to read from; null before the first read. */
  String snapshot() {
    return snapshot;
  }

  /** Whether rows this reader has not seen could have been deleted before a read at {@code now}. */
  boolean mayHaveMissed(Instant now) {
    return readAt != null && Duration.between(readAt, now).compareTo(readableFor) > 0;
  }

  /** Records a successful read, made under {@code snapshot}, at {@code now}. */
  void advance(String snapshot, Instant now) {
    this.snapshot = snapshot;
    this.readAt = now;
  }
}
