package dev.portcullis.user;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.portcullis.cluster.ChangeKind;
import dev.portcullis.cluster.StaleEntries;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * A bounded in-memory cache of {@link UserSnapshot}s, so verifying a token costs no database round
 * trip per request.
 *
 * <p>Entries are dropped as soon as a change to the user commits ({@link UserChanged}), so
 * disabling a user or removing a role takes effect on the next request, and on the other nodes
 * within about a second ({@link dev.portcullis.cluster.ChangeFeed}). An unchanged entry stays for
 * at most {@link #CACHE_LIFETIME}, a safety net. Thread-safe.
 */
@ApplicationScoped
public class UserSnapshots {

  /** The longest a snapshot stays cached without a change; changes evict it at once. */
  static final Duration CACHE_LIFETIME = Duration.ofMinutes(10);

  @Inject UserService users;

  private final LoadingCache<UUID, Optional<UserSnapshot>> cache =
      Caffeine.newBuilder()
          .maximumSize(100_000)
          .expireAfterWrite(CACHE_LIFETIME)
          .build(id -> users.snapshot(id));

  /** The user as of now, or empty if there is no such user. */
  public Optional<UserSnapshot> get(UUID userId) {
    return cache.get(userId);
  }

  void onChange(@Observes(during = TransactionPhase.AFTER_COMPLETION) UserChanged change) {
    cache.invalidate(change.userId());
  }

  void onStale(@Observes StaleEntries stale) {
    if (stale.everything()) {
      cache.invalidateAll();
      return;
    }
    for (String key : stale.keysOf(ChangeKind.USER)) {
      cache.invalidate(UUID.fromString(key));
    }
  }
}
