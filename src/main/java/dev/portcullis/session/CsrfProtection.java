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
    String fetchSite = request.getHeader("Sec-Fetch-Site");
    if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
      return false;
    }
    String origin = request.getHeader("Origin");
    return origin == null || origin.equals(ownOrigin(request));
  }

  private static String ownOrigin(HttpServletRequest request) {
    String scheme = request.getScheme();
    int port = request.getServerPort();
    boolean defaultPort =
        (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
    return scheme + "://" + request.getServerName() + (defaultPort ? "" : ":" + port);
  }
}
