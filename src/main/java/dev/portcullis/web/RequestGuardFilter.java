package dev.portcullis.web;

import dev.portcullis.caller.AuthMethod;
import dev.portcullis.caller.Caller;
import dev.portcullis.config.Settings;
import dev.portcullis.config.UserImportSettings;
import dev.portcullis.problem.ErrorCode;
import dev.portcullis.problem.Problem;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses requests before they reach an endpoint: credentials in the query string (400 {@code
 * CREDENTIAL_IN_URL}, RFC 6750 5.3 and SPEC 3.2: a URL ends up in logs and Referer headers), and
 * bodies above {@code portcullis.http.max-request-bytes} (413) — declared, chunked or sent over
 * HTTP/2 without a length, with any method ({@link RequestBodies}). The admin user import ({@value
 * #USER_IMPORT_PATH}) has its own, larger limit ({@link UserImportSettings}), for administrators
 * only. Also sets {@code X-Content-Type-Options: nosniff} and forbids caching of API answers.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class RequestGuardFilter extends HttpFilter {

  private static final long serialVersionUID = 1L;

  private static final Set<String> CREDENTIAL_PARAMETERS =
      Set.of("access_token", "api_key", "apikey", "refresh_token", "id_token", "x-api-key");

  static final String USER_IMPORT_PATH = "/api/v1/admin/users/import";

  @Inject transient Settings settings;
  @Inject transient UserImportSettings importSettings;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader(RequestIds.HEADER, RequestIds.of(request));
    String path = RequestPaths.of(request);
    if (RequestPaths.isApi(path)) {
      response.setHeader("Cache-Control", "no-store");
    }
    if (settings.requireHttps()
        && isAuthenticationPath(path)
        && !TransportSecurity.acceptable(request)) {
      refuse(
          request,
          response,
          Problem.of(
              ErrorCode.HTTPS_REQUIRED, "Authentication endpoints are served over HTTPS only"));
      return;
    }
    if (carriesCredential(request.getQueryString())) {
      refuse(
          request,
          response,
          Problem.of(
              ErrorCode.CREDENTIAL_IN_URL,
              "Credentials are never accepted in the URL; send them in a header"));
      return;
    }
    var verdict = RequestBodies.judge(request, bodyLimit(request, path));
    if (verdict instanceof RequestBodies.Verdict.Refuse refusal) {
      drain(request);
      refuse(request, response, refusal.problem());
      return;
    }
    chain.doFilter(((RequestBodies.Verdict.Pass) verdict).request(), response);
  }

  /**
   * The body limit of this request: the user import's larger one only once the mechanism (which
   * runs before any filter) has established an administrator — a bearer token or browser session
   * whose caller holds {@code admin}; an API key may not import at all. Everyone else, anonymous
   * callers first, gets {@code portcullis.http.max-request-bytes} on every path.
   */
  private int bodyLimit(HttpServletRequest request, String path) {
    return path.equals(USER_IMPORT_PATH) && mayImport(request.getAttribute(Caller.ATTRIBUTE))
        ? importSettings.maxRequestBytes()
        : settings.maxRequestBytes();
  }

  static boolean mayImport(Object caller) {
    return caller instanceof Caller known
        && known.method() != AuthMethod.API_KEY
        && known.groups().contains("admin");
  }

  /**
   * The paths where credentials travel: the API, the pages (the password change at {@code
   * /login/password} and the consent page among them) and logout. {@code path} is the normalised
   * path ({@link RequestPaths}), so every spelling of these paths is covered.
   */
  static boolean isAuthenticationPath(String path) {
    return RequestPaths.isApi(path)
        || path.equals("/login")
        || path.startsWith("/login.")
        || path.startsWith("/login/")
        || path.equals("/logout")
        || path.equals("/account")
        || path.startsWith("/account.")
        || path.startsWith("/faces/")
        || path.startsWith("/oauth2/")
        || path.equals("/consent")
        || path.startsWith("/consent.");
  }

  static boolean carriesCredential(String query) {
    if (query == null || query.isEmpty()) {
      return false;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      try {
        name = URLDecoder.decode(name, StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return true;
      }
      if (CREDENTIAL_PARAMETERS.contains(name.strip().toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Reads and discards up to 1 MiB more of a refused body, so a client that sends the whole body
   * before reading the answer gets the 413 instead of a stalled or reset connection (an HTTP/1.x
   * connection is closed after the answer).
   */
  private static void drain(HttpServletRequest request) throws IOException {
    var in = request.getInputStream();
    var buffer = new byte[8192];
    long left = 1 << 20;
    int read;
    while (left > 0 && (read = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
      left -= read;
    }
  }

  private static void refuse(
      HttpServletRequest request, HttpServletResponse response, Problem problem)
      throws IOException {
    if (request.getProtocol().startsWith("HTTP/1.")) {
      // a refused body may still be on its way; HTTP/2 ends just the stream (connection-specific
      // headers are forbidden there, RFC 9113 8.2.2)
      response.setHeader("Connection", "close");
    }
    problem.writeTo(response);
  }
}
