package dev.portcullis.user;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
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
 * disabling a user or removing a role takes effect on the next request; a short expiry bounds
 * staleness for changes made by another node until the cluster work adds cross-node invalidation
 * through the same event. Thread-safe.
 */
@ApplicationScoped
public class UserSnapshots {

  @Inject UserService users;

  private final LoadingCache<UUID, Optional<UserSnapshot>> cache =
      Caffeine.newBuilder()
          .maximumSize(100_000)
          .expireAfterWrite(Duration.ofSeconds(30))
          .build(id -> users.snapshot(id));

  /** The user as of now, or empty if there is no such user. */
  public Optional<UserSnapshot> get(UUID userId) {
    return cache.get(userId);
  }

  void onChange(@Observes(during = TransactionPhase.AFTER_COMPLETION) UserChanged change) {
    cache.invalidate(change.userId());
  }
}
