package dev.portcullis.authentication;

import dev.portcullis.caller.Caller;
import dev.portcullis.problem.ErrorCode;
import dev.portcullis.problem.Problem;
import dev.portcullis.web.RequestPaths;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code GET /api/v1/auth/verify}: forward authentication for reverse proxies (nginx {@code
 * auth_request}, Traefik ForwardAuth). 200 with the caller in {@code X-Auth-*} headers; 401 with a
 * {@code Bearer} challenge when the request carries no credential; the mechanism's own 401 (or 429,
 * 503) when it carries one that fails; 403 for a caller with neither {@code user} nor {@code
 * admin}.
 *
 * <p>A servlet, not a JAX-RS resource: a proxy asks this on every request it forwards, and the
 * JAX-RS runtime around a resource cost more than the answer (issue 18). The servlet is mapped to
 * the exact path, which the servlet container prefers to the JSON API's {@code /api/*} on Payara
 * and WildFly alike; every other method gets the container's 405 (problem+json through the error
 * page). The credential was checked before the request got here, by the one mechanism, as on every
 * other path; this only reads its verdict ({@link Caller#ATTRIBUTE}).
 *
 * <p>Only here is an API key checked against an audience the request names ({@code X-Audience}),
 * and only when the request comes from a trusted proxy ({@code portcullis.trusted-proxies}), which
 * must set that header itself and never pass the client's through; everywhere else the audience is
 * Portcullis' own (see {@code ApiKeyReader}). Thread-safe.
 */
@WebServlet(RequestPaths.FORWARD_AUTH)
public class ForwardAuthServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  /** The roles that may pass forward authentication: any signed-in caller. */
  static final Set<String> ROLES = Set.of("user", "admin");

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (!(request.getAttribute(Caller.ATTRIBUTE) instanceof Caller caller)) {
      response.setHeader("WWW-Authenticate", "Bearer realm=\"portcullis\"");
      refuse(response, Problem.of(ErrorCode.UNAUTHORIZED, "Authentication required"));
      return;
    }
    if (caller.groups().stream().noneMatch(ROLES::contains)) {
      refuse(response, Problem.of(ErrorCode.FORBIDDEN, "The caller lacks the role this requires"));
      return;
    }
    response.setHeader("X-Auth-Subject", caller.userId().toString());
    response.setHeader("X-Auth-User", caller.username());
    response.setHeader("X-Auth-Groups", String.join(",", new TreeSet<>(caller.groups())));
    response.setHeader("Cache-Control", "no-store");
    response.setStatus(HttpServletResponse.SC_OK);
  }

  private static void refuse(HttpServletResponse response, Problem problem) throws IOException {
    problem.writeTo(response);
  }
}
