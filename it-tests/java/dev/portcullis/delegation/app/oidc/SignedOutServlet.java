package dev.portcullis.delegation.app.oidc;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Where Portcullis sends the browser after signing it out (the {@code post_logout_redirect_uri},
 * {@code @LogoutDefinition(redirectURI)}). Unprotected.
 */
@WebServlet("/signed-out")
public class SignedOutServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Pages.write(
        response,
        "Signed out",
        "<p id=\"signed-out\">You are signed out.</p>\n"
            + "<p>Caller: <span id=\"caller\">"
            + Pages.escape(
                request.getUserPrincipal() == null ? "" : request.getUserPrincipal().getName())
            + "</span></p>\n"
            + "<p><a id=\"again\" href=\"protected\">Sign in again</a></p>");
  }
}
