package dev.portcullis.session;

import dev.portcullis.authentication.PresentedCredential;
import dev.portcullis.web.RequestPaths;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The value of the session cookie. On a page (anything outside the JSON API, by the normalised path
 * of {@link RequestPaths}), an ended session is not an error: the stale cookie is cleared and the
 * request continues anonymously, so the page can send the user to the login form; the JSON API
 * answers 401.
 */
public final class SessionCredential extends PresentedCredential {

  private final String value;

  public SessionCredential(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  @Override
  public boolean tolerateRejection(HttpServletRequest request, HttpServletResponse response) {
    SessionCookies.clear(response);
    return rejection().status() == 401 && !RequestPaths.isApi(RequestPaths.of(request));
  }

  @Override
  public String toString() {
    return "SessionCredential[redacted]";
  }
}
