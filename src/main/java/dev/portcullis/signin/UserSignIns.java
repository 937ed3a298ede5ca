package dev.portcullis.signin;

import dev.portcullis.caller.Caller;
import dev.portcullis.session.SessionService;
import dev.portcullis.token.RefreshTokens;
import dev.portcullis.web.ClientInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A user's sign-ins of both kinds: browser sessions ({@link SessionService}) and API logins, each a
 * refresh-token family ({@link RefreshTokens}). Lists them together, ends one by its id, or ends
 * all but the caller's own. The JSON API ({@link SignInResource}) and the account page both use it,
 * so they show and end the same things.
 *
 * <p>Who may do this is the caller's business ({@link Caller#requireCredentialManager()} on the
 * API, {@link Caller#browserSession} on the page); this class acts for {@code caller.userId()}.
 */
@ApplicationScoped
public class UserSignIns {

  /** The reason recorded when a user ends one sign-in. */
  static final String ENDED_BY_USER = "ENDED_BY_USER";

  /** The reason recorded when a user signs out everywhere else. */
  static final String SIGNED_OUT_ELSEWHERE = "SIGNED_OUT_ELSEWHERE";

  @Inject SessionService sessions;
  @Inject RefreshTokens refreshTokens;

  /**
   * One live sign-in.
   *
   * @param id the browser session's id or the refresh-token family's (an access token's {@code
   *     sid})
   * @param kind {@code browser} or {@code api}
   * @param createdAt when it started
   * @param lastSeenAt its latest activity, including activity not yet written
   * @param expiresAt when it ends at the latest
   * @param ip the client address at sign-in
   * @param userAgent the client at sign-in
   * @param current whether it is the one the caller is using
   */
  public record SignIn(
      String id,
      String kind,
      Instant createdAt,
      Instant lastSeenAt,
      Instant expiresAt,
      String ip,
      String userAgent,
      boolean current) {}

  /** The caller's user's live sign-ins: browser sessions first, then API logins. */
  public List<SignIn> of(Caller caller) {
    var signIns = new ArrayList<SignIn>();
    for (var session : sessions.list(caller.userId())) {
      signIns.add(
          new SignIn(
              session.id().toString(),
              "browser",
              session.createdAt(),
              sessions.lastSeen(session),
              session.absoluteExpiresAt(),
              session.clientIp(),
              session.userAgent(),
              isCurrent(session.id(), caller)));
    }
    for (var family : refreshTokens.activeFamilies(caller.userId())) {
      signIns.add(
          new SignIn(
              family.id().toString(),
              "api",
              family.createdAt(),
              family.lastUsedAt(),
              family.expiresAt(),
              family.clientIp(),
              family.userAgent(),
              isCurrent(family.id(), caller)));
    }
    return signIns;
  }

  /** Ends one of the caller's user's sign-ins, of either kind; 404 if it is not theirs. */
  public void end(Caller caller, UUID id, ClientInfo client) {
    if (!refreshTokens.revokeOwned(caller.userId(), id, ENDED_BY_USER)) {
      sessions.end(caller.userId(), id, ENDED_BY_USER, client);
    }
  }

  /**
   * "Sign out everywhere else": ends every other browser session of the user and every API login,
   * in one transaction.
   *
   * @param keep the browser session to keep (the caller's own)
   */
  @Transactional
  public void endOthers(Caller caller, UUID keep, ClientInfo client) {
    sessions.endOthers(caller.userId(), keep, SIGNED_OUT_ELSEWHERE, client);
    refreshTokens.revokeAllOf(caller.userId(), SIGNED_OUT_ELSEWHERE);
  }

  private static boolean isCurrent(UUID id, Caller caller) {
    return id.toString().equals(caller.sessionId());
  }
}
