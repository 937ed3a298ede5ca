package dev.portcullis.login;

import dev.portcullis.audit.Refusals;
import dev.portcullis.caller.AuthMethod;
import dev.portcullis.problem.ErrorCode;
import dev.portcullis.problem.ProblemException;
import dev.portcullis.session.SessionCookies;
import dev.portcullis.session.SessionService;
import dev.portcullis.signin.DeviceCookie;
import dev.portcullis.signin.KnownDevices;
import dev.portcullis.signin.PasswordLogins;
import dev.portcullis.upstream.UpstreamProvider;
import dev.portcullis.upstream.UpstreamProviders;
import dev.portcullis.web.ClientInfo;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;

/**
 * Backs {@code /login}: checks the credentials like every other login path, starts a new
 * server-side session (new id at every login: no fixation), sets the {@code __Host-portcullis}
 * cookie and sends the browser to the page it asked for — only if that page is on this site.
 * Failures show one generic message and keep the typed username; over a rate limit the page says
 * "Too many attempts, try again later." with status 429 and {@code Retry-After}. A success also
 * sets the {@code __Host-portcullis-device} cookie to a fresh value the server issued ({@link
 * KnownDevices}). A correct password that must change first (a one-time password) starts nothing:
 * the page shows the password-change form instead ({@link PasswordChangeBacking}), and the user
 * types the current password there again.
 *
 * <p>An upstream sign-in that failed comes back as {@code /login?upstream=<id>&error=<reason>}
 * ({@link dev.portcullis.upstream.UpstreamSignIns}); the page's alert then says so in words of its
 * own ({@link UpstreamMessages}), naming the provider by its configured display name only.
 */
@Named("login")
@RequestScoped
public class LoginBacking {

  static final String FAILED = "Invalid username or password.";
  static final String RATE_LIMITED = "Too many attempts, try again later.";

  @Inject PasswordLogins logins;
  @Inject SessionService sessions;
  @Inject FacesContext faces;
  @Inject KnownDevices devices;
  @Inject Refusals refusals;
  @Inject PasswordChangeBacking passwordChange;
  @Inject AuthorizationRedirects redirects;
  @Inject UpstreamProviders upstreamProviders;

  private String username;
  private String password;
  private String next;
  private String error;
  private String upstream;
  private String upstreamError;

  /**
   * Signs in, or, when the password verified but must change first, shows the password-change form
   * ({@link PasswordChangeBacking}) in place of this page.
   *
   * @return the view to render instead of this one, or null to stay (or after a redirect)
   */
  public String submit() throws IOException {
    var external = faces.getExternalContext();
    var request = (HttpServletRequest) external.getRequest();
    var response = (HttpServletResponse) external.getResponse();
    var client = ClientInfo.of(request);
    var device = DeviceCookie.of(request);
    try {
      var started =
          logins.login(
              username == null ? "" : username,
              password == null ? "" : password,
              client,
              device,
              user -> sessions.start(user.id(), client, AuthMethod.SESSION.wireName()));
      if (request.getSession(false) != null) {
        request.changeSessionId();
      }
      SessionCookies.set(response, started.cookieValue());
      response.addHeader("Set-Cookie", devices.setCookie(device.next()));
      external.redirect(request.getContextPath() + SafeRedirects.localTarget(next));
      return null;
    } catch (ProblemException e) {
      password = null;
      if (e.code() == ErrorCode.PASSWORD_CHANGE_REQUIRED) {
        return passwordChange.requiredFor(username, next);
      }
      error =
          switch (e.code()) {
            case VALIDATION_FAILED -> "The password is too long.";
            case SERVICE_UNAVAILABLE -> "Sign-in is temporarily unavailable. Try again shortly.";
            case RATE_LIMITED -> LoginBacking.RATE_LIMITED;
            default -> FAILED;
          };
      int status = e.problem().status();
      if (status == 429) {
        refusals.rateLimited(client, "LOGIN_PAGE", "login");
      }
      if (status == 429 || status == 503) {
        response.setStatus(status);
        response.setHeader("Retry-After", Long.toString(Math.max(1, e.retryAfterSeconds())));
      }
      return null;
    }
  }

  /**
   * Before the page renders: when {@code next} is an OAuth authorization request, the form may end
   * in its client's redirect URI ({@link AuthorizationRedirects}); when the page is the landing of
   * a failed upstream sign-in, and no password attempt has said anything else, the alert says what
   * happened.
   */
  public void beforeRender() {
    redirects.allowFormTarget(next, (HttpServletResponse) faces.getExternalContext().getResponse());
    if (error == null) {
      error = upstreamAlert(upstream, upstreamError, upstreamProviders.all());
    }
  }

  /**
   * The alert for the landing of a failed upstream sign-in ({@code ?upstream=<id>&error=<reason>}),
   * or null when the page was not opened as one.
   */
  static String upstreamAlert(String upstream, String reason, List<UpstreamProvider> providers) {
    if (upstream == null) {
      return null;
    }
    return UpstreamMessages.signInFailed(
        providers.stream()
            .filter(p -> p.id().equals(upstream))
            .findFirst()
            .map(UpstreamProvider::displayName)
            .orElse(null),
        reason);
  }

  public String getUsername() {
    return username;
  }

  public void setUsername(String username) {
    this.username = username;
  }

  public String getPassword() {
    return password;
  }

  public void setPassword(String password) {
    this.password = password;
  }

  public String getNext() {
    return next;
  }

  public void setNext(String next) {
    this.next = next;
  }

  public String getError() {
    return error;
  }

  /** The provider id of a failed upstream sign-in ({@code ?upstream=}); never shown as it is. */
  public String getUpstream() {
    return upstream;
  }

  public void setUpstream(String upstream) {
    this.upstream = upstream;
  }

  /** The reason of a failed upstream sign-in ({@code ?error=}); never shown as it is. */
  public String getUpstreamError() {
    return upstreamError;
  }

  public void setUpstreamError(String upstreamError) {
    this.upstreamError = upstreamError;
  }
}
