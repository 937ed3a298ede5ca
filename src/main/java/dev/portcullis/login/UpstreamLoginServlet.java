package dev.portcullis.login;

import dev.portcullis.ratelimit.RateLimitedException;
import dev.portcullis.ratelimit.RateLimits;
import dev.portcullis.upstream.UpstreamProviders;
import dev.portcullis.upstream.UpstreamSignIns;
import dev.portcullis.web.ClientInfo;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The browser's side of upstream sign-in (SPEC 3.7): {@code GET /login/oauth2/start/<id>[?next=]}
 * (the sign-in page's buttons) and {@code GET /login/oauth2/callback/<id>} (the redirect URI
 * registered at the provider), both answered 303 to where {@link UpstreamSignIns} says. An unknown
 * provider id or any other path is 404, other methods 405. {@code next} is kept only as a local
 * target ({@link SafeRedirects}). Both count against the client's per-IP attempts ({@link
 * RateLimits#attempt}); over the limit the browser lands on the sign-in page with {@code
 * error=rate_limited}. Answers are never cached. Thread-safe.
 */
@WebServlet("/login/oauth2/*")
public class UpstreamLoginServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Inject transient UpstreamProviders providers;
  @Inject transient UpstreamSignIns signIns;
  @Inject transient RateLimits rateLimits;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String path = request.getPathInfo() == null ? "" : request.getPathInfo();
    boolean start = path.startsWith("/start/");
    boolean callback = path.startsWith("/callback/");
    var provider =
        start || callback
            ? providers.find(path.substring(path.indexOf('/', 1) + 1))
            : java.util.Optional.<dev.portcullis.upstream.UpstreamProvider>empty();
    if (provider.isEmpty()) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND);
      return;
    }
    response.setHeader("Cache-Control", "no-store");
    String location;
    try {
      rateLimits.attempt(ClientInfo.of(request));
      if (start) {
        String next = request.getParameter("next");
        location =
            signIns.beginSignIn(
                provider.get(),
                next == null || next.isEmpty() ? null : SafeRedirects.localTarget(next),
                request,
                response);
      } else {
        location = signIns.complete(provider.get(), request, response);
      }
    } catch (RateLimitedException e) {
      response.setHeader("Retry-After", Long.toString(Math.max(1, e.retryAfterSeconds())));
      location = "/login?upstream=" + provider.get().id() + "&error=rate_limited";
    }
    response.setStatus(HttpServletResponse.SC_SEE_OTHER);
    response.setHeader(
        "Location", location.startsWith("/") ? request.getContextPath() + location : location);
  }
}
