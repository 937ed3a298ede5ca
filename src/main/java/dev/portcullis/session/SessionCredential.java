package dev.portcullis.session;

import dev.portcullis.credential.PresentedCredential;
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

  /**
   * An ended session (401) clears its cookie, and on a page lets the request continue anonymously.
   * A session that could not be checked (503: the database is unreachable) keeps its cookie: the
   * session may well be alive, and an outage must not sign every browser out.
   */
  @Override
  public boolean tolerateRejection(HttpServletRequest request, HttpServletResponse response) {
    if (rejection().status() != 401) {
      return false;
    }
    SessionCookies.clear(response);
    return !RequestPaths.isApi(RequestPaths.of(request));
  }

  @Override
  public String toString() {
    return "SessionCredential[redacted]";
  }
}
