package dev.portcullis.signin;

import dev.portcullis.audit.AuditEventType;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.caller.AuthMethod;
import dev.portcullis.caller.Caller;
import dev.portcullis.problem.ErrorCode;
import dev.portcullis.problem.ProblemException;
import dev.portcullis.ratelimit.RateLimits;
import dev.portcullis.token.AccessTokens;
import dev.portcullis.token.RefreshTokens;
import dev.portcullis.user.UserSnapshot;
import dev.portcullis.user.UserSnapshots;
import dev.portcullis.web.ClientInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

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

  @Inject UserSnapshots snapshots;
  @Inject PasswordLogins logins;
  @Inject RefreshTokens refreshTokens;
  @Inject AccessTokens accessTokens;
  @Inject AuditLog audit;
  @Inject Clock clock;
  @Inject RateLimits rateLimits;

  /**
   * Logs in with a password.
   *
   * @param device the client's {@code __Host-portcullis-device} cookie and the value that replaces
   *     it, which becomes a known device of the user after a success
   */
  public TokenResponse password(
      String username, String password, ClientInfo client, DeviceCookie device) {
    var started =
        logins.login(
            username,
            password,
            client,
            device,
            user -> new Started(user.snapshot(), startFamily(user.id(), client)));
    return respond(started.user(), started.refresh());
  }

  /** A logged-in user and the refresh-token family the login started. */
  private record Started(UserSnapshot user, RefreshTokens.Issued refresh) {}

  /**
   * Verifies the current password and sets a new one (ending every other session) as one step
   * against concurrent changes, and logs in: the new token family starts in the change's
   * transaction.
   */
  public TokenResponse changePassword(
      String username, String password, String newPassword, ClientInfo client, String device) {
    var started =
        logins.changePassword(
            username,
            password,
            newPassword,
            client,
            device,
            user -> new Started(user.snapshot(), startFamily(user.id(), client)));
    return respond(started.user(), started.refresh());
  }

  /**
   * Rotates a refresh token. Counts against the client IP's attempts and, until it succeeds, the
   * presented token's own limit (429 {@code RATE_LIMITED} when over).
   */
  public TokenResponse refresh(String refreshToken, ClientInfo client) {
    rateLimits.attempt(client);
    var permit = rateLimits.refreshAttempt(refreshToken);
    var rotated = refreshTokens.rotate(refreshToken, client);
    permit.succeeded();
    // the cache drops a changed user at once here and within a second on every other node
    var user = snapshots.get(rotated.userId()).filter(UserSnapshot::isActive);
    if (user.isEmpty()) {
      refreshTokens.revokeFamily(rotated.familyId(), "USER_DISABLED");
      throw new ProblemException(ErrorCode.INVALID_TOKEN, "The refresh token is not valid");
    }
    audit.record(
        AuditRecord.success(AuditEventType.REFRESH, rotated.userId().toString(), client)
            .withDetail("sid=" + rotated.familyId()));
    return respond(user.get(), rotated);
  }

  public void logout(Caller caller, ClientInfo client) {
    if (caller.sessionId() == null) {
      throw new ProblemException(
          ErrorCode.NOT_A_SESSION,
          "API keys have no session to end; revoke the key with DELETE /api/v1/keys/{id}");
    }
    refreshTokens.revokeFamily(caller.sessionId(), "LOGOUT");
    audit.record(
        AuditRecord.success(AuditEventType.LOGOUT, caller.userId().toString(), client)
            .withDetail("sid=" + caller.sessionId()));
  }

  private RefreshTokens.Issued startFamily(UUID userId, ClientInfo client) {
    return refreshTokens.startFamily(userId, client, AuthMethod.JWT.wireName());
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

  private static long seconds(Duration duration) {
    return Math.max(0, duration.toSeconds());
  }
}
