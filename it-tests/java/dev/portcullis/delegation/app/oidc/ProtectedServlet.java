package dev.portcullis.delegation.app.oidc;

import static dev.portcullis.delegation.app.oidc.Pages.escape;

import jakarta.annotation.security.DeclareRoles;
import jakarta.servlet.annotation.HttpConstraint;
import jakarta.servlet.annotation.ServletSecurity;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * A page only signed-in users with role {@code user} or {@code admin} see: a visitor without a
 * session is sent to Portcullis to sign in. It shows who the container thinks the caller is and
 * which of the declared roles they hold, and offers the logout button.
 */
@WebServlet("/protected")
@DeclareRoles({"user", "admin"})
@ServletSecurity(@HttpConstraint(rolesAllowed = {"user", "admin"}))
public class ProtectedServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    var principal = request.getUserPrincipal();
    Pages.write(
        response,
        "Protected",
        "<p>Signed in as <span id=\"caller\">"
            + escape(principal == null ? "" : principal.getName())
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
