package dev.portcullis.cluster;

import java.util.List;

/**
 * CDI event a feature fires, inside the transaction that changes its data, for entries that the
 * caches of every node must drop once it commits: a revoked API key, an ended browser session, a
 * changed user, a revoked refresh-token family, a new or revoked signing key. {@link ChangeFeed}
 * writes it to the feed in that transaction, so it reaches the other nodes only if it commits; the
 * feature's own cache observes it after completion.
 *
 * <p>The one event type every feature publishes: the feed knows kinds and keys, never the features.
 *
 * @param kind what the keys name
 * @param keys the changed entries' keys, in the kind's meaning ({@link ChangeKind})
 */
public record Change(ChangeKind kind, List<String> keys) {

  public Change {
    keys = List.copyOf(keys);
  }

  public static Change of(ChangeKind kind, String key) {
    return new Change(kind, List.of(key));
  }

  public static Change of(ChangeKind kind, List<String> keys) {
    return new Change(kind, keys);
  }

  /** The keys a cache of {@code cacheKind} must drop (none for other kinds). */
  public List<String> keysOf(ChangeKind cacheKind) {
    return cacheKind == kind ? keys : List.of();
  }
}
