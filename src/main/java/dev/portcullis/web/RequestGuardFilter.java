package dev.portcullis.web;

import dev.portcullis.audit.RequestIds;
import dev.portcullis.config.Settings;
import dev.portcullis.problem.Problem;
import dev.portcullis.user.UserImportSettings;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses requests before they reach an endpoint: credentials in the query string (400 {@code
 * CREDENTIAL_IN_URL}, RFC 6750 5.3 and SPEC 3.2: a URL ends up in logs and Referer headers), and
 * bodies above {@code portcullis.http.max-request-bytes} (413), whether declared by {@code
 * Content-Length} or streamed chunked; the admin user import ({@value #USER_IMPORT_PATH}) has its
 * own, larger limit ({@link UserImportSettings}). Also sets {@code X-Content-Type-Options: nosniff}
 * and forbids caching of API answers.
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
          response,
          new Problem(
              400,
              "HTTPS_REQUIRED",
              "Bad request",
              "Authentication endpoints are served over HTTPS only"));
      return;
    }
    if (carriesCredential(request.getQueryString())) {
      refuse(
          response,
          new Problem(
              400,
              "CREDENTIAL_IN_URL",
              "Bad request",
              "Credentials are never accepted in the URL; send them in a header"));
      return;
    }
    long declared = request.getContentLengthLong();
    int limit =
        path.equals(USER_IMPORT_PATH)
            ? importSettings.maxRequestBytes()
            : settings.maxRequestBytes();
    if (declared > limit) {
      drain(request);
      refuse(response, tooLarge());
      return;
    }
    if (declared < 0 && request.getHeader("Transfer-Encoding") != null) {
      byte[] body = request.getInputStream().readNBytes(limit + 1);
      if (body.length > limit) {
        refuse(response, tooLarge());
        return;
      }
      chain.doFilter(new BufferedBodyRequest(request, body), response);
      return;
    }
    chain.doFilter(request, response);
  }

  /**
   * The paths where credentials travel: the API, the pages and logout. {@code path} is the
   * normalised path ({@link RequestPaths}), so every spelling of these paths is covered.
   */
  static boolean isAuthenticationPath(String path) {
    return RequestPaths.isApi(path)
        || path.equals("/login")
        || path.startsWith("/login.")
        || path.equals("/logout")
        || path.equals("/account")
        || path.startsWith("/account.")
        || path.startsWith("/faces/");
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
   * Reads and discards up to 1 MiB of a refused body, so a client that sends the whole body before
   * reading the answer gets the 413 instead of a stalled connection (the connection is closed).
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

  private static Problem tooLarge() {
    return new Problem(
        413, "PAYLOAD_TOO_LARGE", "Payload too large", "The request body is too large");
  }

  private static void refuse(HttpServletResponse response, Problem problem) throws IOException {
    response.setStatus(problem.status());
    response.setContentType(Problem.MEDIA_TYPE);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("Connection", "close");
    response.getWriter().write(problem.toJson().toString());
  }

  /** A request whose already-read body is served from memory. */
  private static final class BufferedBodyRequest extends HttpServletRequestWrapper {

    private final byte[] body;

    BufferedBodyRequest(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      var in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("synchronous body");
        }
      };
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }
  }
}
