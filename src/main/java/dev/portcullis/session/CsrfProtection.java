package dev.portcullis.session;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * Decides whether a state-changing request authenticated by the session cookie really comes from
 * this site (OWASP CSRF cheat sheet): the session's CSRF token must be echoed (header {@code
 * X-CSRF-Token} on the JSON API, form field {@code csrf} on {@code /logout}), compared in constant
 * time; and {@code Origin}, when sent, must be this server's own origin, and {@code
 * Sec-Fetch-Site}, when sent, {@code same-origin} or {@code none}.
 */
public final class CsrfProtection {

  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

  private CsrfProtection() {}

  public static boolean isSafeMethod(String method) {
    return SAFE_METHODS.contains(method);
  }

  /**
   * Whether the request proves it was made by this site for the session owning {@code expected}.
   */
  public static boolean passes(HttpServletRequest request, String presentedToken, String expected) {
    if (presentedToken == null
        || expected == null
        || !MessageDigest.isEqual(
            presentedToken.getBytes(StandardCharsets.UTF_8),
            expected.getBytes(StandardCharsets.UTF_8))) {
      return false;
    }
    return sameOrigin(request);
  }

  /** {@code Origin} and {@code Sec-Fetch-Site}, where the browser sent them, say "this site". */
  public static boolean sameOrigin(HttpServletRequest request) {
    return sameOrigin(
        request.getHeader("Sec-Fetch-Site"), request.getHeader("Origin"), ownOrigin(request));
  }

  /**
   * The decision of {@link #sameOrigin(HttpServletRequest)} on the header values. Our pages send
   * {@code Referrer-Policy: no-referrer}, and under that policy browsers serialise the origin of
   * their own non-CORS POSTs (a plain HTML form, such as the logout form) as {@code Origin: null}
   * (Fetch, "append a request Origin header"); such a request is accepted only when {@code
   * Sec-Fetch-Site: same-origin} vouches for it.
   */
  static boolean sameOrigin(String fetchSite, String origin, String ownOrigin) {
    if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
      return false;
    }
    if (origin == null) {
      return true;
    }
    if (origin.equals("null")) {
      return "same-origin".equals(fetchSite);
    }
    return origin.equals(ownOrigin);
  }

  private static String ownOrigin(HttpServletRequest request) {
    String scheme = request.getScheme();
    int port = request.getServerPort();
    boolean defaultPort =
        (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
    return scheme + "://" + request.getServerName() + (defaultPort ? "" : ":" + port);
  }
}
