package dev.portcullis.signin;

import dev.portcullis.audit.AuditEventType;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.database.DatabaseFailures;
import dev.portcullis.problem.ErrorCode;
import dev.portcullis.problem.ProblemException;
import dev.portcullis.ratelimit.Lockouts;
import dev.portcullis.ratelimit.RateLimits;
import dev.portcullis.user.HashingGate;
import dev.portcullis.user.LegacyPasswordHashes;
import dev.portcullis.user.PasswordHashing;
import dev.portcullis.user.PasswordPolicy;
import dev.portcullis.user.User;
import dev.portcullis.user.UserService;
import dev.portcullis.user.Usernames;
import dev.portcullis.web.ClientInfo;
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
 * INVALID_CREDENTIALS} after the same work: an unknown user, and an account locked for the client's
 * network, pay for one dummy Argon2id verification (the stored hash of a locked account, perhaps an
 * expensive legacy one, is never computed); a disabled user's password is still verified. The audit
 * event keeps the real reason. Over-long input is refused before any hashing; an outdated hash is
 * upgraded after a success; a legacy hash above the cost caps ({@link LegacyPasswordHashes}) is
 * never computed, and its login fails with the reason {@code LEGACY_HASH_OVER_COST_CAP} until an
 * administrator resets the password. Hashing runs outside any transaction.
 *
 * <p>Before any hashing, the attempt counts against the client IP and against the target account
 * name from the client's network and overall ({@link RateLimits}, 429 {@code RATE_LIMITED} when
 * over); a wrong password counts towards the account's lock-out for that network ({@link
 * Lockouts}). A login refused because every hashing turn is taken (503, {@link HashingGate}) counts
 * against the IP only. A request from a device the server issued for the account ({@link
 * KnownDevices}) is exempt from both account limits, so someone else's failures do not lock the
 * owner out; its wrong passwords count against the device instead, which stops being known after a
 * few.
 *
 * <p>The reads before the hash are one transaction and a successful login's writes another, shared
 * with the session it starts ({@link PasswordLoginRecords}); that second transaction re-checks,
 * under the user's row lock, that the user has not changed since the password was verified. A
 * password change verifies and replaces the same way: the replacement is conditional on the version
 * that was verified.
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
  @Inject KnownDevices devices;
  @Inject java.time.Clock clock;

  /**
   * Logs in with a password and starts what the login is for: a user who must change a one-time
   * password is refused with 403 {@code PASSWORD_CHANGE_REQUIRED}; success is audited, the device
   * becomes known by {@code device.next()} (which the caller then sets as the cookie), and {@code
   * start} (which starts the session or token family) runs in the same transaction as those writes.
   *
   * @throws ProblemException 401 {@code INVALID_CREDENTIALS} (also when the user changed while the
   *     password was verified), 429 {@code RATE_LIMITED}, or 400 for an over-long password
   */
  public <T> T login(
      String username,
      String password,
      ClientInfo client,
      DeviceCookie device,
      Function<User, T> start) {
    var verified = verify(username, password, client, device.presented());
    var user = verified.user();
    if (user.passwordChangeRequired()) {
      forgetFailures(verified);
      audit.record(
          AuditRecord.failure(
              AuditEventType.LOGIN, "PASSWORD_CHANGE_REQUIRED", user.id().toString(), client));
      throw new ProblemException(
          ErrorCode.PASSWORD_CHANGE_REQUIRED,
          "This password must be changed before use: POST /api/v1/auth/password");
    }
    return records
        .succeeded(user, verified.knownDevice(), verified.network(), device, client, start)
        .orElseThrow(() -> invalidCredentials("CHANGED_DURING_LOGIN", user, client));
  }

  /**
   * Verifies the current password and replaces it with {@code newPassword}, as one step with
   * respect to any concurrent change: the replacement applies only if the user's row is still the
   * one the current password was verified against, else the change that came between wins and this
   * one is refused like a wrong password. Every session of the user ends; {@code start} runs in the
   * replacement's transaction (the new session or token family of the caller).
   *
   * @param device the request's {@code __Host-portcullis-device} cookie, or null
   * @throws ProblemException 401 {@code INVALID_CREDENTIALS}, 429 {@code RATE_LIMITED}, or 400 for
   *     an over-long password or a new password the policy refuses
   */
  public <T> T changePassword(
      String username,
      String password,
      String newPassword,
      ClientInfo client,
      String device,
      Function<User, T> start) {
    policy.checkLength(newPassword);
    var verified = verify(username, password, client, device);
    forgetFailures(verified);
    var user = verified.user();
    policy.checkNew(newPassword, user.username(), user.email());
    if (hashing.verify(newPassword, user.passwordHash())) {
      throw ProblemException.validation("the new password must differ from the current one");
    }
    String newHash = hashing.hash(newPassword);
    return users
        .replaceVerifiedPassword(user, newHash, client, start)
        .orElseThrow(() -> invalidCredentials("CHANGED_DURING_LOGIN", user, client));
  }

  /** How recent a sign-in must be for its session to set an account's first password. */
  public static final java.time.Duration FIRST_PASSWORD_WINDOW = java.time.Duration.ofMinutes(10);

  /**
   * Sets the first password of an account that has none (one provisioned at an upstream sign-in),
   * from a browser session that signed in within {@link #FIRST_PASSWORD_WINDOW}: that sign-in
   * stands in for the current password another account would type. Refused with 400 {@code
   * VALIDATION_FAILED} when the account has a password (change it instead), the sign-in is older,
   * or the new password breaks the policy. Like a change, every session ends and {@code start}
   * begins this browser's next one in the same transaction.
   */
  public <T> T setFirstPassword(
      java.util.UUID userId,
      java.time.Instant signedInAt,
      String newPassword,
      ClientInfo client,
      Function<User, T> start) {
    policy.checkLength(newPassword);
    var user =
        users
            .find(userId)
            .filter(User::isActive)
            .orElseThrow(() -> ProblemException.validation("the account cannot sign in"));
    if (user.passwordHash() != null) {
      throw ProblemException.validation("the account has a password; change it instead");
    }
    if (signedInAt == null
        || signedInAt.plus(FIRST_PASSWORD_WINDOW).isBefore(java.time.Instant.now(clock))) {
      throw ProblemException.validation(
          "sign in again (within the last 10 minutes) to set a password");
    }
    policy.checkNew(newPassword, user.username(), user.email());
    String newHash = hashing.hash(newPassword);
    return users
        .replaceVerifiedPassword(user, newHash, client, start)
        .orElseThrow(ProblemException::conflict);
  }

  /**
   * A user whose password just verified (as read then, or after its hash upgrade), whether the
   * attempt came from a known device, and the client's network.
   */
  private record Verified(User user, boolean knownDevice, String network) {}

  /** Everything up to a verified password: limits, look-ups, the hash, refusals, rehashing. */
  private Verified verify(String username, String password, ClientInfo client, String device) {
    policy.checkLength(password);
    hashing.admit();
    rateLimits.attempt(client);
    String login = username.length() > MAX_USERNAME_INPUT ? null : username;
    String network = RateLimits.networkKey(client.ip());
    var attempt = records.read(login, device, network);
    Optional<User> found = attempt.user();
    var permit =
        attempt.knownDevice()
            ? RateLimits.Permit.none()
            : rateLimits.accountAttempt(
                Usernames.key(login == null ? username.substring(0, MAX_USERNAME_INPUT) : login),
                client);
    boolean verified = false;
    try {
      if (found.isEmpty() || attempt.locked()) {
        // nothing to check against, or a lock: one dummy verification, never the stored hash
        hashing.burn(password);
      } else {
        verified = hashing.verify(password, found.get().passwordHash());
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
      if (LegacyPasswordHashes.exceedsCostCap(user.passwordHash())) {
        // never computed, so not a guess: only an administrator's reset helps this account
        throw invalidCredentials("LEGACY_HASH_OVER_COST_CAP", user, client);
      }
      countFailure(user.id(), network, attempt.knownDevice() ? device : null, client);
      throw invalidCredentials("WRONG_PASSWORD", user, client);
    }
    if (!user.isActive()) {
      throw invalidCredentials("DISABLED", user, client);
    }
    permit.succeeded();
    if (hashing.needsRehash(user.passwordHash())) {
      user = users.upgradeHash(user.id(), user.passwordHash(), hashing.hash(password)).orElse(user);
    }
    return new Verified(user, attempt.knownDevice(), network);
  }

  /** A known device's success leaves others' failures (and a lock they caused) in place. */
  private void forgetFailures(Verified verified) {
    if (!verified.knownDevice()) {
      lockouts.succeeded(verified.user().id(), verified.network());
    }
  }

  /**
   * Counts a wrong password against the account from {@code network} (a concurrent first failure of
   * the same account and network is retried once), and against the known device it came from.
   */
  private void countFailure(UUID userId, String network, String knownDevice, ClientInfo client) {
    try {
      lockouts.failed(userId, network, client);
    } catch (PersistenceException | TransactionalException e) {
      if (DatabaseFailures.isUnavailable(e)) {
        throw e;
      }
      lockouts.failed(userId, network, client);
    }
    if (knownDevice != null) {
      devices.failed(knownDevice, userId);
    }
  }

  private ProblemException invalidCredentials(String reason, User user, ClientInfo client) {
    audit.record(
        AuditRecord.failure(
            AuditEventType.LOGIN, reason, user == null ? null : user.id().toString(), client));
    return new ProblemException(ErrorCode.INVALID_CREDENTIALS, "Invalid username or password");
  }
}
