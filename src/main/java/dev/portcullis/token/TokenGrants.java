package dev.portcullis.token;

import dev.portcullis.audit.AuditEventType;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.audit.ClientInfo;
import dev.portcullis.authentication.AuthMethod;
import dev.portcullis.authentication.Caller;
import dev.portcullis.problem.ProblemException;
import dev.portcullis.user.PasswordHashing;
import dev.portcullis.user.PasswordPolicy;
import dev.portcullis.user.User;
import dev.portcullis.user.UserService;
import dev.portcullis.user.UserSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;

/**
 * The JSON API's grants: password login, refresh, password change, logout.
 *
 * <p>Unknown user, wrong password and disabled account give the same 401 {@code
 * INVALID_CREDENTIALS} after the same work (an unknown user still pays for a dummy hash); the audit
 * event keeps the real reason. Password hashing runs outside any database transaction, so a slow
 * hash never holds a connection.
 */
@ApplicationScoped
public class TokenGrants {

  private static final int MAX_USERNAME_INPUT = 256;

  @Inject UserService users;
  @Inject PasswordHashing hashing;
  @Inject PasswordPolicy policy;
  @Inject RefreshTokens refreshTokens;
  @Inject AccessTokens accessTokens;
  @Inject AuditLog audit;
  @Inject Clock clock;

  public TokenResponse password(String username, String password, ClientInfo client) {
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
    return start(user.snapshot(), client);
  }

  /** Verifies the current password, sets a new one (ending every other session), logs in. */
  public TokenResponse changePassword(
      String username, String password, String newPassword, ClientInfo client) {
    policy.checkLength(newPassword);
    var user = authenticate(username, password, client);
    users.changeOwnPassword(user.id(), newPassword, client);
    return start(user.snapshot(), client);
  }

  public TokenResponse refresh(String refreshToken, ClientInfo client) {
    var rotated = refreshTokens.rotate(refreshToken, client);
    var user = users.snapshot(rotated.userId()).filter(UserSnapshot::isActive);
    if (user.isEmpty()) {
      refreshTokens.revokeFamily(rotated.familyId(), "USER_DISABLED");
      throw new ProblemException(401, "INVALID_TOKEN", "The refresh token is not valid");
    }
    audit.record(
        AuditRecord.success(AuditEventType.REFRESH, rotated.userId().toString(), client)
            .withDetail("sid=" + rotated.familyId()));
    return respond(user.get(), rotated);
  }

  public void logout(Caller caller, ClientInfo client) {
    if (caller.sessionId() == null) {
      throw new ProblemException(
          400,
          "NOT_A_SESSION",
          "API keys have no session to end; revoke the key with DELETE /api/v1/keys/{id}");
    }
    refreshTokens.revokeFamily(caller.sessionId(), "LOGOUT");
    audit.record(
        AuditRecord.success(AuditEventType.LOGOUT, caller.userId().toString(), client)
            .withDetail("sid=" + caller.sessionId()));
  }

  private TokenResponse start(UserSnapshot user, ClientInfo client) {
    var issued = refreshTokens.startFamily(user.id(), client, AuthMethod.JWT.wireName());
    return respond(user, issued);
  }

  private TokenResponse respond(UserSnapshot user, RefreshTokens.Issued refresh) {
    var access = accessTokens.issue(user.id(), user.username(), user.roles(), refresh.familyId());
    return new TokenResponse(
        access.value(),
        seconds(Duration.between(clock.instant(), access.expiresAt())),
        refresh.value(),
        seconds(Duration.between(clock.instant(), refresh.expiresAt())),
        access.scope());
  }

  private User authenticate(String username, String password, ClientInfo client) {
    policy.checkLength(password);
    var found =
        username.length() > MAX_USERNAME_INPUT
            ? java.util.Optional.<User>empty()
            : users.findByLogin(username);
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

  private ProblemException invalidCredentials(String reason, User user, ClientInfo client) {
    audit.record(
        AuditRecord.failure(
            AuditEventType.LOGIN, reason, user == null ? null : user.id().toString(), client));
    return new ProblemException(401, "INVALID_CREDENTIALS", "Invalid username or password");
  }

  private static long seconds(Duration duration) {
    return Math.max(0, duration.toSeconds());
  }
}
