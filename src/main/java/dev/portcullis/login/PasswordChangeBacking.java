package dev.portcullis.login;

import dev.portcullis.audit.Refusals;
import dev.portcullis.caller.AuthMethod;
import dev.portcullis.problem.ProblemException;
import dev.portcullis.session.SessionCookies;
import dev.portcullis.session.SessionService;
import dev.portcullis.signin.DeviceCookie;
import dev.portcullis.signin.KnownDevices;
import dev.portcullis.signin.PasswordLogins;
import dev.portcullis.web.ClientInfo;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;

/**
 * Backs {@code /login/password}, the second step of a sign-in whose password must change first (a
 * one-time password an administrator set, or the bootstrap admin's printed at first start): the
 * login page shows this form in place of its own when {@link PasswordLogins#login} answers {@code
 * PASSWORD_CHANGE_REQUIRED}, and the page can be opened directly too.
 *
 * <p>The user types the current password again: it is never carried from the first step in a hidden
 * field, the view state or a URL. {@link PasswordLogins#changePassword} verifies it (rate limits,
 * lock-out and the generic {@code Invalid username or password.} exactly as a login) and sets the
 * new one as one step against concurrent changes, audited {@code PASSWORD_CHANGE} like {@code POST
 * /api/v1/auth/password}; every other session of the user ends. In the change's transaction the
 * browser's new session starts and its device becomes known, then the browser gets a new container
 * session id, the {@code __Host-portcullis} and {@code __Host-portcullis-device} cookies, and is
 * sent on to {@code next} if that is on this site ({@link SafeRedirects}).
 *
 * <p>A new password the policy refuses (too short, common, the username, the current one) and two
 * entries that differ are named in the message; over a rate limit the page answers 429, with the
 * database or hashing unavailable 503, both with {@code Retry-After}, as the login page does. The
 * form posts through Faces (view state) and the page guard refuses cross-site posts, so another
 * site cannot submit it.
 */
@Named("passwordChange")
@RequestScoped
public class PasswordChangeBacking {

  /** The view the login page shows when the password must change. */
  static final String VIEW = "/login/password";

  static final String MUST_CHANGE = "This password must be changed before you can sign in.";
  static final String MISMATCH = "The new passwords do not match.";

  @Inject PasswordLogins logins;
  @Inject SessionService sessions;
  @Inject KnownDevices devices;
  @Inject Refusals refusals;
  @Inject FacesContext faces;
  @Inject AuthorizationRedirects redirects;

  private String username;
  private String currentPassword;
  private String newPassword;
  private String repeatPassword;
  private String next;
  private String notice;
  private String error;

  /**
   * Prepares the form for {@code username}, whose password verified but must change; the login page
   * then renders {@link #VIEW} in this request. Only the username and the target travel on.
   */
  String requiredFor(String username, String next) {
    this.username = username;
    this.next = next;
    this.notice = MUST_CHANGE;
    return VIEW;
  }

  /** Before the page renders: see {@link LoginBacking#beforeRender()}. */
  public void beforeRender() {
    redirects.allowFormTarget(next, (HttpServletResponse) faces.getExternalContext().getResponse());
  }

  public void submit() throws IOException {
    var external = faces.getExternalContext();
    var request = (HttpServletRequest) external.getRequest();
    var response = (HttpServletResponse) external.getResponse();
    var client = ClientInfo.of(request);
    try {
      if (!Objects.equals(orEmpty(newPassword), orEmpty(repeatPassword))) {
        error = MISMATCH;
        return;
      }
      var device = DeviceCookie.of(request);
      var started =
          logins.changePassword(
              orEmpty(username),
              orEmpty(currentPassword),
              orEmpty(newPassword),
              client,
              device.presented(),
              user -> {
                var session = sessions.start(user.id(), client, AuthMethod.SESSION.wireName());
                devices.issue(device, user.id());
                return session;
              });
      if (request.getSession(false) != null) {
        request.changeSessionId();
      }
      SessionCookies.set(response, started.cookieValue());
      response.addHeader("Set-Cookie", devices.setCookie(device.next()));
      external.redirect(request.getContextPath() + SafeRedirects.localTarget(next));
    } catch (ProblemException e) {
      error = messageFor(e);
      int status = e.problem().status();
      if (status == 429) {
        refusals.rateLimited(client, "LOGIN_PAGE", "login/password");
      }
      if (status == 429 || status == 503) {
        response.setStatus(status);
        response.setHeader("Retry-After", Long.toString(Math.max(1, e.retryAfterSeconds())));
      }
    } finally {
      currentPassword = null;
      newPassword = null;
      repeatPassword = null;
    }
  }

  /** What the page says for a refused change. */
  static String messageFor(ProblemException e) {
    return switch (e.code()) {
      case VALIDATION_FAILED -> policyMessage(e.problem().detail());
      case SERVICE_UNAVAILABLE -> "Sign-in is temporarily unavailable. Try again shortly.";
      case RATE_LIMITED -> LoginBacking.RATE_LIMITED;
      default -> LoginBacking.FAILED;
    };
  }

  /**
   * A policy's reason as a sentence: {@code password must be ...} → {@code The new password must be
   * ...}.
   */
  static String policyMessage(String detail) {
    if (detail == null || detail.isBlank()) {
      return "The new password is not accepted.";
    }
    String sentence = detail.strip();
    if (sentence.startsWith("password ")) {
      sentence = "The new password " + sentence.substring("password ".length());
    } else if (sentence.startsWith("the new password ")) {
      sentence = "The new password " + sentence.substring("the new password ".length());
    } else {
      sentence = Character.toUpperCase(sentence.charAt(0)) + sentence.substring(1);
    }
    return sentence.endsWith(".") ? sentence : sentence + ".";
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }

  public String getUsername() {
    return username;
  }

  public void setUsername(String username) {
    this.username = username;
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

  public String getRepeatPassword() {
    return repeatPassword;
  }

  public void setRepeatPassword(String repeatPassword) {
    this.repeatPassword = repeatPassword;
  }

  public String getNext() {
    return next;
  }

  public void setNext(String next) {
    this.next = next;
  }

  public String getNotice() {
    return notice;
  }

  public String getError() {
    return error;
  }
}
