package dev.portcullis.delegation.app.introspection;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /resource}: a resource server that accepts whatever bearer token Portcullis' token
 * introspection (RFC 7662) calls active, and nothing else. It asks Portcullis about each token
 * (authenticating as its own client, see {@link TokenIntrospection}) and, so that the test sees
 * exactly what Portcullis said, answers with Portcullis' introspection response as its body: 200
 * when the token is active, 401 with an RFC 6750 challenge when it is not, 502 when Portcullis
 * refused to introspect (its status in {@code X-Introspection-Status}).
 */
@WebServlet("/resource")
public class ProtectedResourceServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;
  private static final String BEARER = "Bearer ";

  @Inject TokenIntrospection introspection;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String authorization = request.getHeader("Authorization");
    if (authorization == null || !authorization.startsWith(BEARER)) {
      response.setHeader("WWW-Authenticate", "Bearer");
      response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
      return;
    }
    var answer = introspection.introspect(authorization.substring(BEARER.length()));
    response.setContentType("application/json;charset=UTF-8");
    response.setHeader("Cache-Control", "no-store");
    if (answer.status() != 200) {
      response.setStatus(HttpServletResponse.SC_BAD_GATEWAY);
      response.setHeader("X-Introspection-Status", Integer.toString(answer.status()));
    } else if (!answer.active()) {
      response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
      response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    }
    response.getWriter().write(answer.body());
  }
}
