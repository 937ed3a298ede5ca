package dev.portcullis.session;

import dev.portcullis.audit.Refusals;
import dev.portcullis.problem.ErrorCode;
import dev.portcullis.problem.Problem;
import dev.portcullis.web.ClientInfo;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code POST /logout}: ends the browser session and clears its cookie, then sends the browser to
 * the login page. The form must carry the session's CSRF token (field {@code csrf}) and come from
 * this origin; a POST from another origin is refused with 403 and clears nothing, with or without a
 * session, and is audited ({@link Refusals}, {@code CSRF_REJECTED}). Other methods get 405.
 */
@WebServlet("/logout")
public class LogoutServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Inject transient SessionService sessions;
  @Inject transient Refusals refusals;

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    var cookie = SessionCookies.read(request);
    var session = cookie.flatMap(sessions::validate);
    // A cross-site POST carries no SameSite=Lax cookie, so there is no session to check the token
    // against; it must not clear the cookie either (that would sign the victim's browser out).
    boolean sameOrigin = CsrfProtection.sameOrigin(request);
    if (!sameOrigin
        || (session.isPresent()
            && !CsrfProtection.passes(
                request, request.getParameter("csrf"), session.get().csrfToken()))) {
      refusals.csrfRejected(
          ClientInfo.of(request),
          sameOrigin ? "BAD_TOKEN" : "CROSS_ORIGIN",
          session.map(s -> s.userId().toString()).orElse(null),
          "logout");
      var problem = Problem.of(ErrorCode.CSRF_REJECTED, "Log out from this site's own page");
      problem.writeTo(response);
      return;
    }
    if (session.isPresent()) {
      sessions.endByCookie(cookie.get(), ClientInfo.of(request));
    }
    var httpSession = request.getSession(false);
    if (httpSession != null) {
      httpSession.invalidate();
    }
    SessionCookies.clear(response);
    response.setStatus(HttpServletResponse.SC_SEE_OTHER);
    response.setHeader("Location", request.getContextPath() + "/login");
  }
}
