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

/**
 * Backs {@code /login}: checks the credentials like every other login path, starts a new
 * server-side session (new id at every login: no fixation), sets the {@code __Host-portcullis}
 * cookie and sends the browser to the page it asked for — only if that page is on this site.
 * Failures show one generic message and keep the typed username; over a rate limit the page says
 * "Too many attempts, try again later." with status 429 and {@code Retry-After}. A success also
 * sets the {@code __Host-portcullis-device} cookie to a fresh value the server issued ({@link
 * KnownDevices}).
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

  private String username;
  private String password;
  private String next;
  private String error;

  public void submit() throws IOException {
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
    } catch (ProblemException e) {
      error =
          switch (e.code()) {
            case PASSWORD_CHANGE_REQUIRED ->
                "This password must be changed first (POST /api/v1/auth/password).";
            case VALIDATION_FAILED -> "The password is too long.";
            case SERVICE_UNAVAILABLE -> "Sign-in is temporarily unavailable. Try again shortly.";
            case RATE_LIMITED -> LoginBacking.RATE_LIMITED;
            default -> FAILED;
          };
      password = null;
      int status = e.problem().status();
      if (status == 429) {
        refusals.rateLimited(client, "LOGIN_PAGE", "login");
      }
      if (status == 429 || status == 503) {
        response.setStatus(status);
        response.setHeader("Retry-After", Long.toString(Math.max(1, e.retryAfterSeconds())));
      }
    }
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
}
