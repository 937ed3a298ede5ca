package dev.portcullis.user;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real {@link UserSnapshots}, its cache included, over users held in a map instead of the
 * database, for unit tests of the identity stores in other packages (which cannot reach its
 * package-private {@code users}). The map stands in for {@link UserService#snapshot}; {@link
 * #failWith} makes every look-up fail as an unreachable database does.
 *
 * <p>As in the server, a user once looked up stays cached: set users up before the first look-up.
 *
 * <p>Usage: {@code var users = new UserSnapshotsStandIn().with(UserSnapshotsStandIn.active(id,
 * "alice", Set.of("user"))); store.users = users.snapshots();} Thread-safe.
 */
public final class UserSnapshotsStandIn {

  private final Map<UUID, UserSnapshot> users = new ConcurrentHashMap<>();
  private final AtomicInteger loads = new AtomicInteger();
  private final UserSnapshots snapshots = new UserSnapshots();
  private volatile RuntimeException failure;

  public UserSnapshotsStandIn() {
    snapshots.users =
        new UserService() {
          @Override
          public Optional<UserSnapshot> snapshot(UUID id) {
            loads.incrementAndGet();
            if (failure != null) {
              throw failure;
            }
            return Optional.ofNullable(users.get(id));
          }
        };
  }

  /** An active user holding {@code roles}. */
  public static UserSnapshot active(UUID id, String username, Set<String> roles) {
    return new UserSnapshot(id, username, username + "@example.test", UserStatus.ACTIVE, roles);
  }

  /** A disabled user holding {@code roles}. */
  public static UserSnapshot disabled(UUID id, String username, Set<String> roles) {
    return new UserSnapshot(id, username, username + "@example.test", UserStatus.DISABLED, roles);
  }

  /** Stores {@code user}, replacing any user with its id. */
  public UserSnapshotsStandIn with(UserSnapshot user) {
    users.put(user.id(), user);
    return this;
  }

  /** Makes every later look-up throw {@code failure}. */
  public void failWith(RuntimeException failure) {
    this.failure = failure;
  }

  /** How many look-ups reached the stand-in database (cache misses). */
  public int loads() {
    return loads.get();
  }

  /** The user cache to inject into the code under test. */
  public UserSnapshots snapshots() {
    return snapshots;
  }
}
