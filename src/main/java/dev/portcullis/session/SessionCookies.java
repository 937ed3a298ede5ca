package dev.portcullis.session;

import dev.portcullis.credential.AmbiguousCredentialException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;

/**
 * The session cookie {@code __Host-portcullis}: HttpOnly, Secure, SameSite=Lax, Path=/, no Domain
 * (the {@code __Host-} prefix makes browsers enforce the last three). Browsers treat http on
 * localhost / 127.0.0.1 as secure, so local runs need no weaker variant. No Max-Age: the cookie
 * ends with the browser session; the server-side deadlines decide validity.
 */
public final class SessionCookies {

  public static final String NAME = "__Host-portcullis";
  private static final String ATTRIBUTES = "; Path=/; Secure; HttpOnly; SameSite=Lax";

  private SessionCookies() {}

  /** The cookie's value, if the request carries exactly one. */
  public static Optional<String> read(HttpServletRequest request) {
    var cookies = request.getCookies();
    if (cookies == null) {
      return Optional.empty();
    }
    String found = null;
    for (var cookie : cookies) {
      if (NAME.equals(cookie.getName())) {
        if (found != null) {
          throw new AmbiguousCredentialException();
        }
        found = cookie.getValue();
      }
    }
    return Optional.ofNullable(found).filter(v -> !v.isEmpty());
  }

  public static void set(HttpServletResponse response, String value) {
    response.addHeader("Set-Cookie", NAME + "=" + value + ATTRIBUTES);
  }

  public static void clear(HttpServletResponse response) {
    response.addHeader("Set-Cookie", clearing());
  }

  /** The {@code Set-Cookie} value that removes the session cookie from the browser. */
  public static String clearing() {
    return NAME + "=" + ATTRIBUTES + "; Max-Age=0";
  }
}
