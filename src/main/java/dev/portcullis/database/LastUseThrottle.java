package dev.portcullis.database;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a "last used" time at most once per {@code granularity} per item: the time is for people
 * ("used 2 minutes ago"), and in PostgreSQL every write is a new row version to vacuum. With 5,000
 * API keys each used every second, a write per key per 10-second flush was 500 row updates a second
 * for information nobody reads to the second.
 *
 * <p>{@link #due} says whether a use must be recorded; {@link #written} notes what a flush wrote;
 * {@link #prune} forgets items whose granularity has passed (they are due again anyway), so the map
 * holds only the items written within the last {@code granularity}. Thread-safe.
 */
public final class LastUseThrottle<K> {

  private final Duration granularity;
  private final Map<K, Instant> lastWritten = new ConcurrentHashMap<>();

  public LastUseThrottle(Duration granularity) {
    this.granularity = granularity;
  }

  /** Whether a use of {@code key} at {@code now} must be recorded. */
  public boolean due(K key, Instant now) {
    Instant written = lastWritten.get(key);
    return written == null || !now.isBefore(written.plus(granularity));
  }

  /** Notes the times a flush wrote. */
  public void written(Map<K, Instant> times) {
    lastWritten.putAll(times);
  }

  /** Forgets items written at least {@code granularity} before {@code now}. */
  public void prune(Instant now) {
    Instant horizon = now.minus(granularity);
    lastWritten.values().removeIf(at -> !at.isAfter(horizon));
  }
}
