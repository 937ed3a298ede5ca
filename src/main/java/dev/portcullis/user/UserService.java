package dev.portcullis.user;

import dev.portcullis.audit.AuditEventType;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.cluster.Change;
import dev.portcullis.cluster.ChangeKind;
import dev.portcullis.config.Settings;
import dev.portcullis.database.DatabaseFailures;
import dev.portcullis.problem.ErrorCode;
import dev.portcullis.problem.ProblemException;
import dev.portcullis.web.ClientInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

/**
 * Creates, finds and changes users. Every change fires {@link UserChanged} in its transaction and
 * writes an audit event; changes that must end a user's sessions (disable, password) revoke them
 * through that event before the transaction commits.
 *
 * <p>Every change first takes the user's row lock ({@code SELECT … FOR UPDATE}), before anything
 * looks for the sessions, token families or devices to revoke. A password login holds a shared lock
 * on the same row while it re-checks what it verified and starts its session ({@link
 * #lockForLogin}), so the two are ordered: a login that committed first is seen and revoked by the
 * change, and a login that commits after it sees the new version and is refused. Without the lock
 * the change's revoking queries could run before the login's session was committed and miss it.
 */
@ApplicationScoped
public class UserService {

  @PersistenceContext EntityManager em;

  @Inject Settings settings;
  @Inject Clock clock;
  @Inject PasswordHashing hashing;
  @Inject PasswordPolicy policy;
  @Inject AuditLog audit;
  @Inject Event<UserChanged> changes;
  @Inject Event<Change> published;

  @Transactional
  public User create(NewUser request, String actor, ClientInfo client) {
    String username = Usernames.validUsername(request.username());
    String email = request.email() == null ? null : Usernames.validEmail(request.email());
    Set<String> roles = validRoles(request.roles().isEmpty() ? Set.of("user") : request.roles());
    policy.checkNew(request.password(), username, email);
    if (findByLogin(username).isPresent() || (email != null && findByEmail(email).isPresent())) {
      throw new ProblemException(
          ErrorCode.USER_EXISTS, "A user with that username or e-mail exists");
    }
    var user = new User(username, email, roles, clock.instant());
    user.setPassword(
        hashing.hash(request.password()), request.passwordChangeRequired(), clock.instant());
    return insert(user, roles, actor, client);
  }

  /**
   * Creates an account without a password, for a first sign-in through an upstream provider (SPEC
   * 3.7): it signs in through its links until an administrator sets a password. The username is the
   * first of {@code usernameCandidates} that is valid and free, then that name with {@code -2} to
   * {@code -9}, then {@code user-} and 8 random hex digits. An {@code email} already on another
   * account is refused with 409 {@code USER_EXISTS} (accounts are never joined by e-mail).
   */
  @Transactional
  public User createExternal(
      List<String> usernameCandidates,
      String email,
      Set<String> roles,
      String actor,
      ClientInfo client) {
    String address = email == null ? null : Usernames.validEmail(email);
    if (address != null && findByEmail(address).isPresent()) {
      throw new ProblemException(
          ErrorCode.USER_EXISTS, "A user with that username or e-mail exists");
    }
    Set<String> granted = validRoles(roles);
    var user = new User(freeUsername(usernameCandidates), address, granted, clock.instant());
    return insert(user, granted, actor, client);
  }

  /**
   * Stores a new user (a unique username or e-mail lost to a concurrent insert is 409 {@code
   * USER_EXISTS}), announces it and audits {@code USER_CREATED}.
   */
  private User insert(User user, Set<String> roles, String actor, ClientInfo client) {
    try {
      em.persist(user);
      em.flush();
    } catch (PersistenceException e) {
      if (DatabaseFailures.isUnavailable(e)) {
        throw e;
      }
      throw new ProblemException(
          ErrorCode.USER_EXISTS, "A user with that username or e-mail exists");
    }
    announce(new UserChanged(user.id(), UserChanged.Change.CREATED));
    audit.record(
        AuditRecord.success(AuditEventType.USER_CREATED, user.id().toString(), client)
            .by(actor)
            .withDetail("username=" + user.username() + " roles=" + roles));
    return user;
  }

  private String freeUsername(List<String> candidates) {
    for (String candidate : candidates) {
      String name;
      try {
        name = candidate == null ? null : Usernames.validUsername(candidate);
      } catch (ProblemException invalid) {
        continue;
      }
      if (name == null) {
        continue;
      }
      for (int n = 1; n <= 9; n++) {
        String numbered = n == 1 ? name : name + "-" + n;
        if (numbered.length() <= 64 && findByLogin(numbered).isEmpty()) {
          return numbered;
        }
      }
    }
    return "user-" + java.util.HexFormat.of().formatHex(randomBytes());
  }

  private static byte[] randomBytes() {
    var bytes = new byte[4];
    new java.security.SecureRandom().nextBytes(bytes);
    return bytes;
  }

  @Transactional
  public Optional<User> find(UUID id) {
    return Optional.ofNullable(em.find(User.class, id));
  }

  @Transactional
  public Optional<UserSnapshot> snapshot(UUID id) {
    return find(id).map(User::snapshot);
  }

  /** The user whose username matches {@code login} after normalisation. */
  @Transactional
  public Optional<User> findByLogin(String login) {
    return em.createNamedQuery(User.BY_USERNAME_KEY, User.class)
        .setParameter("key", Usernames.key(login))
        .getResultStream()
        .findFirst();
  }

  private Optional<User> findByEmail(String email) {
    return em.createNamedQuery(User.BY_EMAIL_KEY, User.class)
        .setParameter("key", Usernames.key(email))
        .getResultStream()
        .findFirst();
  }

  @Transactional
  public List<User> list(int offset, int limit) {
    return em.createNamedQuery(User.ALL, User.class)
        .setFirstResult(offset)
        .setMaxResults(limit)
        .getResultList();
  }

  @Transactional
  public long count() {
    return em.createNamedQuery(User.COUNT, Long.class).getSingleResult();
  }

  @Transactional
  public User setStatus(UUID id, UserStatus status, String actor, ClientInfo client) {
    var user = requireLocked(id);
    if (status == UserStatus.DISABLED && user.id().toString().equals(actor)) {
      throw new ProblemException(
          ErrorCode.SELF_LOCKOUT, "Administrators cannot disable themselves");
    }
    if (user.status() != status) {
      user.setStatus(status, clock.instant());
      announce(
          new UserChanged(
              id,
              status == UserStatus.DISABLED
                  ? UserChanged.Change.DISABLED
                  : UserChanged.Change.ENABLED));
      audit.record(
          AuditRecord.success(
                  status == UserStatus.DISABLED
                      ? AuditEventType.USER_DISABLED
                      : AuditEventType.USER_ENABLED,
                  id.toString(),
                  client)
              .by(actor));
    }
    return user;
  }

  @Transactional
  public User setRoles(UUID id, Set<String> roles, String actor, ClientInfo client) {
    var user = requireLocked(id);
    Set<String> valid = validRoles(roles);
    if (user.id().toString().equals(actor) && !valid.contains("admin")) {
      throw new ProblemException(
          ErrorCode.SELF_LOCKOUT, "Administrators cannot remove their own admin role");
    }
    var before = new TreeSet<>(user.roles());
    user.setRoles(valid, clock.instant());
    announce(new UserChanged(id, UserChanged.Change.ROLES));
    audit.record(
        AuditRecord.success(AuditEventType.USER_ROLES_CHANGED, id.toString(), client)
            .by(actor)
            .withDetail("before=" + before + " after=" + new TreeSet<>(valid)));
    return user;
  }

  /** An administrator sets a user's password; every session of the user ends. */
  @Transactional
  public void resetPassword(
      UUID id, String password, boolean temporary, String actor, ClientInfo client) {
    var user = requireLocked(id);
    policy.checkNew(password, user.username(), user.email());
    user.setPassword(hashing.hash(password), temporary, clock.instant());
    announce(new UserChanged(id, UserChanged.Change.PASSWORD));
    audit.record(
        AuditRecord.success(AuditEventType.USER_PASSWORD_RESET, id.toString(), client)
            .by(actor)
            .withDetail("temporary=" + temporary));
  }

  /**
   * The user changes their own password: {@code verified} is the user as read when the current
   * password was verified against it, {@code newHash} the new password's hash (made outside any
   * transaction). The change applies only if the row is still as verified ({@link
   * User#unchangedSince}, under the row lock): a change, reset or disable that committed in between
   * wins, and this one is refused. Every existing session of the user ends; then {@code start}
   * (which starts the session or token family the change logs in to) runs in the same transaction,
   * so nothing can come between the change and it.
   *
   * @return what {@code start} returned, or empty when the user changed since the verification
   */
  @Transactional
  public <T> Optional<T> replaceVerifiedPassword(
      User verified, String newHash, ClientInfo client, Function<User, T> start) {
    var found = locked(verified.id(), LockModeType.PESSIMISTIC_WRITE);
    if (found.isEmpty() || !found.get().unchangedSince(verified)) {
      return Optional.empty();
    }
    var user = found.get();
    UUID id = user.id();
    user.setPassword(newHash, false, clock.instant());
    announce(new UserChanged(id, UserChanged.Change.PASSWORD));
    audit.record(AuditRecord.success(AuditEventType.PASSWORD_CHANGE, id.toString(), client));
    return Optional.of(start.apply(user));
  }

  /**
   * Stores a stronger hash of a password that just verified against an outdated one, if the row
   * still holds that one.
   *
   * @return the user as stored afterwards (upgraded or not), or empty if it no longer exists
   */
  @Transactional
  public Optional<User> upgradeHash(UUID id, String expectedOldHash, String newHash) {
    var user = locked(id, LockModeType.PESSIMISTIC_WRITE);
    if (user.isPresent() && expectedOldHash.equals(user.get().passwordHash())) {
      user.get().rehash(newHash);
      em.flush();
    }
    return user;
  }

  /**
   * The user's row, read again under a shared lock that a change ({@link #setStatus}, {@link
   * #resetPassword}, …) waits for, for a login about to start a session on a password it verified
   * earlier. Must run in the login's transaction (the lock lasts until it ends).
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public Optional<User> lockForLogin(UUID id) {
    return locked(id, LockModeType.PESSIMISTIC_READ);
  }

  /** The user, its row locked until the transaction ends, so changes to it are serialised. */
  private User requireLocked(UUID id) {
    return locked(id, LockModeType.PESSIMISTIC_WRITE)
        .orElseThrow(() -> ProblemException.notFound("User"));
  }

  /**
   * The user read with its row locked in the same statement ({@code FOR SHARE} / {@code FOR
   * UPDATE}). A query, not {@code find}: the roles join of {@code find} makes Hibernate lock in a
   * second statement that checks the version read by the first, which turns a concurrent change
   * into an {@code OptimisticLockException} instead of waiting for it and reading its result.
   */
  private Optional<User> locked(UUID id, LockModeType mode) {
    return em.createNamedQuery(User.BY_ID, User.class)
        .setParameter("id", id)
        .setLockMode(mode)
        .getResultStream()
        .findFirst();
  }

  private Set<String> validRoles(Set<String> roles) {
    for (String role : roles) {
      if (!settings.knownRoles().contains(role)) {
        throw ProblemException.validation(
            "unknown role '" + role + "'; known roles: " + settings.knownRoles());
      }
    }
    return Set.copyOf(roles);
  }

  /**
   * Tells this node's observers of the change, and every node's caches through the {@link
   * dev.portcullis.cluster.ChangeFeed} (a new user is in no cache yet).
   */
  private void announce(UserChanged change) {
    changes.fire(change);
    if (change.change() != UserChanged.Change.CREATED) {
      published.fire(Change.of(ChangeKind.USER, change.userId().toString()));
    }
  }
}
