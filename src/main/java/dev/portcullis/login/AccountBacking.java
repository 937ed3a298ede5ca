package dev.portcullis.login;

import dev.portcullis.apikey.ApiKey;
import dev.portcullis.apikey.ApiKeyService;
import dev.portcullis.apikey.NewApiKey;
import dev.portcullis.audit.ClientInfo;
import dev.portcullis.authentication.AuthMethod;
import dev.portcullis.authentication.Caller;
import dev.portcullis.problem.ProblemException;
import dev.portcullis.ratelimit.KnownDevices;
import dev.portcullis.session.SessionCookies;
import dev.portcullis.session.SessionRecord;
import dev.portcullis.session.SessionService;
import dev.portcullis.token.RefreshTokens;
import dev.portcullis.user.PasswordLogins;
import dev.portcullis.user.User;
import dev.portcullis.user.UserService;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Backs {@code /account}: the signed-in user's profile, sessions (browser and API) with "sign out
 * this session" and "sign out everywhere else", API keys with create (shown once) / rotate /
 * revoke, and password change. Actions post through Faces forms (view state plus the SameSite
 * cookie protect them); the JSON API's CSRF token is published in a meta element.
 *
 * <p>The page serves browser-session callers only ({@link Caller#browserSession}). The {@link
 * PageGuardFilter} sends everyone else to the login page, and each action checks again on its own
 * ({@link #signedIn()}), so a bearer token or an API key that reaches a postback changes nothing.
 * The scopes offered for a new key are the session's own authority ({@link Caller#authorityOver});
 * a forged scope in the postback is refused by {@link ApiKeyService#create} as well.
 */
@Named("account")
@RequestScoped
public class AccountBacking {

  @Inject FacesContext faces;
  @Inject UserService users;
  @Inject SessionService sessions;
  @Inject RefreshTokens refreshTokens;
  @Inject ApiKeyService keys;
  @Inject PasswordLogins logins;

  private Caller caller;
  private User user;
  private SessionRecord session;
  private String keyName;
  private List<String> keyScopes = new ArrayList<>(List.of("user"));
  private String newKey;
  private String keyMessage;
  private String currentPassword;
  private String newPassword;
  private String passwordMessage;
  private String sessionMessage;

  /**
   * One row of the sessions table.
   *
   * @param id session or refresh-family id
   * @param kind "browser" or "api"
   * @param createdAt when it started
   * @param lastSeenAt last activity
   * @param ip client address at login
   * @param userAgent client at login
   * @param current whether it is this browser's session
   */
  public record SessionRow(
      String id,
      String kind,
      Instant createdAt,
      Instant lastSeenAt,
      String ip,
      String userAgent,
      boolean current) {}

  @PostConstruct
  void load() {
    var request = request();
    caller = Caller.browserSession(request).orElse(null);
    if (caller != null) {
      user = users.find(caller.userId()).orElse(null);
      session = SessionCookies.read(request).flatMap(sessions::validate).orElse(null);
    }
  }

  public User getUser() {
    return user;
  }

  public String getRoles() {
    return user == null ? "" : String.join(", ", new TreeSet<>(user.roles()));
  }

  /** The scopes a new key may carry: this session's authority over the user's current roles. */
  public Set<String> getAssignableScopes() {
    return caller == null || user == null ? Set.of() : caller.authorityOver(user.roles());
  }

  public String getCsrfToken() {
    return session == null ? "" : session.csrfToken();
  }

  public List<SessionRow> getSessions() {
    var rows = new ArrayList<SessionRow>();
    if (caller == null) {
      return rows;
    }
    for (var s : sessions.list(caller.userId())) {
      rows.add(
          new SessionRow(
              s.id().toString(),
              "browser",
              s.createdAt(),
              sessions.lastSeen(s),
              s.clientIp(),
              s.userAgent(),
              s.id().toString().equals(caller.sessionId())));
    }
    for (var f : refreshTokens.activeFamilies(caller.userId())) {
      rows.add(
          new SessionRow(
              f.id().toString(),
              "api",
              f.createdAt(),
              f.lastUsedAt(),
              f.clientIp(),
              f.userAgent(),
              false));
    }
    return rows;
  }

  public List<ApiKey> getKeys() {
    if (caller == null) {
      return List.of();
    }
    return keys.list(caller.userId()).stream().filter(k -> k.revokedAt() == null).toList();
  }

  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  /** A time for display, to the minute, in UTC; "never" for none. */
  public String when(Instant instant) {
    return instant == null ? "never" : WHEN.format(instant);
  }

  /** A key's scopes for display, e.g. "admin user". */
  public String scopesOf(ApiKey key) {
    return String.join(" ", new TreeSet<>(key.scopes()));
  }

  public void endSession(String id) {
    if (!signedIn()) {
      return;
    }
    var uuid = UUID.fromString(id);
    if (!refreshTokens.revokeOwned(caller.userId(), uuid, "ENDED_BY_USER")) {
      sessions.end(caller.userId(), uuid, "ENDED_BY_USER", client());
    }
    sessionMessage = "Session signed out.";
  }

  public void endOtherSessions() {
    if (!signedIn()) {
      return;
    }
    sessions.endOthers(caller.userId(), UUID.fromString(caller.sessionId()), client());
    sessionMessage = "Every other session is signed out.";
  }

  public void createKey() {
    if (!signedIn()) {
      return;
    }
    try {
      var created =
          keys.create(
              caller.userId(),
              new NewApiKey(keyName, Set.copyOf(keyScopes), null, null),
              caller,
              client());
      newKey = created.value();
      keyName = null;
      keyMessage = "Copy the key now: it is shown only once.";
    } catch (ProblemException e) {
      keyMessage = e.problem().detail();
    }
  }

  public void rotateKey(String id) {
    if (!signedIn()) {
      return;
    }
    try {
      newKey = keys.rotate(caller.userId(), id, null, caller, client()).value();
      keyMessage = "New key for this id; the previous one keeps working for the grace period.";
    } catch (ProblemException e) {
      keyMessage = e.problem().detail();
    }
  }

  public void revokeKey(String id) {
    if (!signedIn()) {
      return;
    }
    try {
      keys.revoke(caller.userId(), id, caller, client());
      keyMessage = "Key revoked.";
    } catch (ProblemException e) {
      keyMessage = e.problem().detail();
    }
  }

  /**
   * Changes the password; every session ends, and this browser gets a fresh one, started in the
   * change's transaction. Verification and replacement are one step against concurrent changes: if
   * the account changed in between, the change is refused like a wrong current password.
   */
  public void changePassword() {
    if (!signedIn()) {
      return;
    }
    var client = client();
    try {
      var started =
          logins.changePassword(
              user.username(),
              currentPassword == null ? "" : currentPassword,
              newPassword == null ? "" : newPassword,
              client,
              KnownDevices.read(request()).orElse(null),
              changed -> sessions.start(changed.id(), client, AuthMethod.SESSION.wireName()));
      SessionCookies.set(
          (HttpServletResponse) faces.getExternalContext().getResponse(), started.cookieValue());
      passwordMessage = "Password changed. Every other session was signed out.";
      caller =
          new Caller(
              caller.userId(),
              caller.username(),
              caller.groups(),
              caller.method(),
              started.session().id().toString(),
              started.session().id().toString());
      session = sessions.validate(started.cookieValue()).orElse(null);
    } catch (ProblemException e) {
      passwordMessage =
          "INVALID_CREDENTIALS".equals(e.problem().code())
              ? "The current password is wrong."
              : e.problem().detail();
    } finally {
      currentPassword = null;
      newPassword = null;
    }
  }

  /**
   * Whether this request comes from a signed-in browser session, checked by every action on its own
   * whatever stood in front of it; anyone else is sent to the login page, as an anonymous visitor
   * of the page is, and the action does nothing.
   */
  private boolean signedIn() {
    var request = request();
    if (caller != null && user != null && Caller.browserSession(request).isPresent()) {
      return true;
    }
    try {
      faces.getExternalContext().redirect(PageGuardFilter.signInLocation(request, "/account"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return false;
  }

  private HttpServletRequest request() {
    return (HttpServletRequest) faces.getExternalContext().getRequest();
  }

  private ClientInfo client() {
    return ClientInfo.of(request());
  }

  public String getKeyName() {
    return keyName;
  }

  public void setKeyName(String keyName) {
    this.keyName = keyName;
  }

  public List<String> getKeyScopes() {
    return keyScopes;
  }

  public void setKeyScopes(List<String> keyScopes) {
    this.keyScopes = keyScopes == null ? new ArrayList<>() : new ArrayList<>(keyScopes);
  }

  public String getNewKey() {
    return newKey;
  }

  public String getKeyMessage() {
    return keyMessage;
  }

  public String getCurrentPassword() {
    return currentPassword;
  }

  public void setCurrentPassword(String currentPassword) {
    this.currentPassword = currentPassword;
  }

  public String getNewPassword() {
    return newPassword;
  }

  public void setNewPassword(String newPassword) {
    this.newPassword = newPassword;
  }

  public String getPasswordMessage() {
    return passwordMessage;
  }

  public String getSessionMessage() {
    return sessionMessage;
  }
}
