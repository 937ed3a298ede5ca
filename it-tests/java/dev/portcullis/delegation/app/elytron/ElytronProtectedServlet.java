package dev.portcullis.delegation.app.elytron;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The page {@code web.xml} protects: WildFly's OIDC client sends a visitor without a session to
 * Portcullis, and back here (its redirect URI is this page's URL). Shows the caller and the roles
 * the container sees, and offers the logout button.
 */
@WebServlet("/protected")
public class ElytronProtectedServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    var principal = request.getUserPrincipal();
    ElytronPages.write(
        response,
        "Protected",
        "<p>Signed in as <span id=\"caller\">"
            + ElytronPages.escape(principal == null ? "" : principal.getName())
            + "</span></p>\n"
            + "<p>user: <span id=\"role-user\">"
            + request.isUserInRole("user")
            + "</span></p>\n"
            + "<p>admin: <span id=\"role-admin\">"
            + request.isUserInRole("admin")
            + "</span></p>\n"
            + "<form method=\"post\" action=\"logout\">"
            + "<button id=\"logout\" type=\"submit\">Sign out</button></form>");
  }
}
