package dev.portcullis.user;

import dev.portcullis.audit.AuditEventType;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.audit.ClientInfo;
import dev.portcullis.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Checks a username and password, the one way every login path (JSON API, login page, password
 * change) does it.
 *
 * <p>Unknown user, wrong password and disabled account give the same {@code INVALID_CREDENTIALS}
 * after the same work: an unknown user still pays for a dummy hash, a disabled user's password is
 * still verified. The audit event keeps the real reason. Over-long input is refused before any
 * hashing; an outdated hash is upgraded after a success. Hashing runs outside any transaction.
 */
@ApplicationScoped
public class PasswordLogins {

  private static final int MAX_USERNAME_INPUT = 256;

  @Inject UserService users;
  @Inject PasswordHashing hashing;
  @Inject PasswordPolicy policy;
  @Inject AuditLog audit;

  /**
   * The user these credentials belong to.
   *
   * @throws ProblemException 401 {@code INVALID_CREDENTIALS}, or 400 for an over-long password
   */
  public User authenticate(String username, String password, ClientInfo client) {
    policy.checkLength(password);
    Optional<User> found =
        username.length() > MAX_USERNAME_INPUT ? Optional.empty() : users.findByLogin(username);
    if (found.isEmpty()) {
      hashing.burn(password);
      throw invalidCredentials("UNKNOWN_USER", null, client);
    }
    var user = found.get();
    if (!hashing.verify(password, user.passwordHash())) {
      throw invalidCredentials("WRONG_PASSWORD", user, client);
    }
    if (!user.isActive()) {
      throw invalidCredentials("DISABLED", user, client);
    }
    if (hashing.needsRehash(user.passwordHash())) {
      users.upgradeHash(user.id(), user.passwordHash(), hashing.hash(password));
    }
    return user;
  }

  /**
   * Like {@link #authenticate} for a login that starts a session: a user who must change a one-time
   * password is refused with 403 {@code PASSWORD_CHANGE_REQUIRED}; success is audited.
   */
  public User login(String username, String password, ClientInfo client) {
    var user = authenticate(username, password, client);
    if (user.passwordChangeRequired()) {
      audit.record(
          AuditRecord.failure(
              AuditEventType.LOGIN, "PASSWORD_CHANGE_REQUIRED", user.id().toString(), client));
      throw new ProblemException(
          403,
          "PASSWORD_CHANGE_REQUIRED",
          "This password must be changed before use: POST /api/v1/auth/password");
    }
    audit.record(AuditRecord.success(AuditEventType.LOGIN, user.id().toString(), client));
    return user;
  }

  private ProblemException invalidCredentials(String reason, User user, ClientInfo client) {
    audit.record(
        AuditRecord.failure(
            AuditEventType.LOGIN, reason, user == null ? null : user.id().toString(), client));
    return new ProblemException(401, "INVALID_CREDENTIALS", "Invalid username or password");
  }
}
