package dev.portcullis.cluster;

import java.util.List;

/**
 * CDI event fired by {@link ChangeFeed} when changes committed (on any node) make cached entries
 * stale; each cache drops the entries of its kind, or all of them when {@link #everything()}.
 *
 * @param kind what the keys name; null when {@code everything}
 * @param keys the stale entries' keys
 * @param everything true when changes may have been missed (the feed could not be read for longer
 *     than its look-back): every cache of every kind must be emptied
 */
public record StaleEntries(ChangeKind kind, List<String> keys, boolean everything) {

  public StaleEntries {
    keys = List.copyOf(keys);
  }

  public static StaleEntries of(ChangeKind kind, List<String> keys) {
    return new StaleEntries(kind, keys, false);
  }

  public static StaleEntries all() {
    return new StaleEntries(null, List.of(), true);
  }

  /** The keys a cache of {@code cacheKind} must drop (none for other kinds). */
  public List<String> keysOf(ChangeKind cacheKind) {
    return cacheKind == kind ? keys : List.of();
  }
}
