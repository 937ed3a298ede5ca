package dev.portcullis.session;

import dev.portcullis.config.Settings;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a state-changing request authenticated by the session cookie really comes from
 * this site (OWASP CSRF cheat sheet): the session's CSRF token must be echoed (header {@code
 * X-CSRF-Token} on the JSON API, form field {@code csrf} on {@code /logout}), compared in constant
 * time; and {@code Origin}, when sent, must be this site's origin, and {@code Sec-Fetch-Site}, when
 * sent, {@code same-origin} or {@code none}.
 *
 * <p>This site's origin is the one the request itself was addressed to, or the origin of the
 * configured issuer ({@code portcullis.issuer}): behind a TLS-terminating proxy the request reaches
 * the server as {@code http://internal:8080} while the browser's {@code Origin} is the public
 * {@code https://…} one, which is the issuer's. Thread-safe.
 */
public final class CsrfProtection {

  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

  private static volatile String issuerOrigin;

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
        request.getHeader("Sec-Fetch-Site"),
        request.getHeader("Origin"),
        ownOrigin(request),
        issuerOrigin());
  }

  /**
   * The decision of {@link #sameOrigin(HttpServletRequest)} on the header values. Our pages send
   * {@code Referrer-Policy: same-origin}, so a browser names this site's origin on its own form
   * posts; {@code Origin: null} (what a page under {@code no-referrer}, a sandboxed frame or a
   * privacy setting sends — Fetch, "append a request Origin header") is accepted only when {@code
   * Sec-Fetch-Site: same-origin} vouches for it.
   */
  static boolean sameOrigin(String fetchSite, String origin, String... siteOrigins) {
    if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
      return false;
    }
    if (origin == null) {
      return true;
    }
    if (origin.equals("null")) {
      return "same-origin".equals(fetchSite);
    }
    for (String own : siteOrigins) {
      if (origin.equals(own)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The origin ({@code scheme://host[:port]}, lower case, default port left out, as browsers send
   * it) of an absolute http(s) URL, or empty if {@code url} is not one.
   */
  static Optional<String> originOf(String url) {
    try {
      var uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      String host = uri.getHost();
      if (!(scheme.equals("http") || scheme.equals("https")) || host == null) {
        return Optional.empty();
      }
      int port = uri.getPort();
      boolean defaultPort =
          port == -1
              || (scheme.equals("http") && port == 80)
              || (scheme.equals("https") && port == 443);
      return Optional.of(
          scheme + "://" + host.toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port));
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  /** The configured issuer's origin, read once; null if the issuer is not an http(s) URL. */
  private static String issuerOrigin() {
    var origin = issuerOrigin;
    if (origin == null) {
      origin = originOf(CDI.current().select(Settings.class).get().issuer()).orElse("");
      issuerOrigin = origin;
    }
    return origin.isEmpty() ? null : origin;
  }

  private static String ownOrigin(HttpServletRequest request) {
    String scheme = request.getScheme();
    int port = request.getServerPort();
    boolean defaultPort =
        (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
    return scheme + "://" + request.getServerName() + (defaultPort ? "" : ":" + port);
  }
}
