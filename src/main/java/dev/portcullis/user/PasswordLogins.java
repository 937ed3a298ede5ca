package dev.portcullis.user;

import dev.portcullis.audit.AuditEventType;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.audit.ClientInfo;
import dev.portcullis.database.DatabaseFailures;
import dev.portcullis.problem.ProblemException;
import dev.portcullis.ratelimit.Lockouts;
import dev.portcullis.ratelimit.RateLimits;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.TransactionalException;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Checks a username and password, the one way every login path (JSON API, login page, password
 * change) does it.
 *
 * <p>Unknown user, wrong password, locked and disabled account give the same {@code
 * INVALID_CREDENTIALS} after the same work: an unknown user still pays for a dummy hash, a locked
 * or disabled user's password is still verified. The audit event keeps the real reason. Over-long
 * input is refused before any hashing; an outdated hash is upgraded after a success. Hashing runs
 * outside any transaction.
 *
 * <p>Before any hashing, the attempt counts against the client IP and the target account name
 * ({@link RateLimits}, 429 {@code RATE_LIMITED} when over); a wrong password counts towards the
 * account's lock-out ({@link Lockouts}). A login refused because every hashing turn is taken (503,
 * {@link HashingGate}) counts against the IP only. A request from a device that has logged in to
 * the account before ({@link dev.portcullis.ratelimit.KnownDevices}) is exempt from both account
 * limits, so someone else's failures do not lock the owner out.
 *
 * <p>The reads before the hash are one transaction and a successful login's writes another, shared
 * with the session it starts ({@link PasswordLoginRecords}).
 */
@ApplicationScoped
public class PasswordLogins {

  private static final int MAX_USERNAME_INPUT = 256;

  @Inject PasswordLoginRecords records;
  @Inject UserService users;
  @Inject PasswordHashing hashing;
  @Inject PasswordPolicy policy;
  @Inject AuditLog audit;
  @Inject RateLimits rateLimits;
  @Inject Lockouts lockouts;

  /** {@link #authenticate(String, String, ClientInfo, String)} without a device cookie. */
  public User authenticate(String username, String password, ClientInfo client) {
    return authenticate(username, password, client, null);
  }

  /**
   * The user these credentials belong to.
   *
   * @param device the request's {@code __Host-portcullis-device} cookie, or null
   * @throws ProblemException 401 {@code INVALID_CREDENTIALS}, 429 {@code RATE_LIMITED}, or 400 for
   *     an over-long password
   */
  public User authenticate(String username, String password, ClientInfo client, String device) {
    var verified = verify(username, password, client, device);
    forgetFailures(verified);
    return verified.user();
  }

  /** {@link #login(String, String, ClientInfo, String)} without a device cookie. */
  public User login(String username, String password, ClientInfo client) {
    return login(username, password, client, null);
  }

  /** {@link #login(String, String, ClientInfo, String, Function)} that starts nothing. */
  public User login(String username, String password, ClientInfo client, String device) {
    return login(username, password, client, device, Function.identity());
  }

  /**
   * Like {@link #authenticate} for a login that starts a session: a user who must change a one-time
   * password is refused with 403 {@code PASSWORD_CHANGE_REQUIRED}; success is audited, {@code
   * device} (when given) becomes a known device of the user, and {@code start} (which starts the
   * session or token family) runs in the same transaction as those writes.
   */
  public <T> T login(
      String username, String password, ClientInfo client, String device, Function<User, T> start) {
    var verified = verify(username, password, client, device);
    var user = verified.user();
    if (user.passwordChangeRequired()) {
      forgetFailures(verified);
      audit.record(
          AuditRecord.failure(
              AuditEventType.LOGIN, "PASSWORD_CHANGE_REQUIRED", user.id().toString(), client));
      throw new ProblemException(
          403,
          "PASSWORD_CHANGE_REQUIRED",
          "This password must be changed before use: POST /api/v1/auth/password");
    }
    return records.succeeded(user, verified.knownDevice(), device, client, start);
  }

  /** A user whose password just verified, and whether the attempt came from a known device. */
  private record Verified(User user, boolean knownDevice) {}

  /** Everything up to a verified password: limits, look-ups, the hash, refusals, rehashing. */
  private Verified verify(String username, String password, ClientInfo client, String device) {
    policy.checkLength(password);
    hashing.admit();
    rateLimits.attempt(client);
    String login = username.length() > MAX_USERNAME_INPUT ? null : username;
    var attempt = records.read(login, device);
    Optional<User> found = attempt.user();
    var permit =
        attempt.knownDevice()
            ? RateLimits.Permit.none()
            : rateLimits.accountAttempt(
                Usernames.key(login == null ? username.substring(0, MAX_USERNAME_INPUT) : login));
    boolean verified;
    try {
      verified = found.isPresent() && hashing.verify(password, found.get().passwordHash());
      if (found.isEmpty()) {
        hashing.burn(password);
      }
    } catch (ProblemException busy) {
      // no hashing turn (503): the attempt was not judged, so it costs the account nothing
      permit.notJudged();
      throw busy;
    }
    if (found.isEmpty()) {
      throw invalidCredentials("UNKNOWN_USER", null, client);
    }
    var user = found.get();
    if (attempt.locked()) {
      throw invalidCredentials("LOCKED", user, client);
    }
    if (!verified) {
      countFailure(user.id(), client);
      throw invalidCredentials("WRONG_PASSWORD", user, client);
    }
    if (!user.isActive()) {
      throw invalidCredentials("DISABLED", user, client);
    }
    permit.succeeded();
    if (hashing.needsRehash(user.passwordHash())) {
      users.upgradeHash(user.id(), user.passwordHash(), hashing.hash(password));
    }
    return new Verified(user, attempt.knownDevice());
  }

  /** A known device's success leaves others' failures (and a lock they caused) in place. */
  private void forgetFailures(Verified verified) {
    if (!verified.knownDevice()) {
      lockouts.succeeded(verified.user().id());
    }
  }

  /** Counts a wrong password; a concurrent first failure of the same account is retried once. */
  private void countFailure(UUID userId, ClientInfo client) {
    try {
      lockouts.failed(userId, client);
    } catch (PersistenceException | TransactionalException e) {
      if (DatabaseFailures.isUnavailable(e)) {
        throw e;
      }
      lockouts.failed(userId, client);
    }
  }

  private ProblemException invalidCredentials(String reason, User user, ClientInfo client) {
    audit.record(
        AuditRecord.failure(
            AuditEventType.LOGIN, reason, user == null ? null : user.id().toString(), client));
    return new ProblemException(401, "INVALID_CREDENTIALS", "Invalid username or password");
  }
}
