package dev.portcullis.delegation.app.oidc;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The {@code redirectURI} Portcullis sends the browser back to with the authorization code. Soteria
 * redeems the code before this servlet runs; the servlet only sends the now signed-in user on to
 * the application (a failed sign-in never reaches it: Soteria answers 500 itself). Unprotected, as
 * a redirect URI must be.
 */
@WebServlet("/callback")
public class CallbackServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (request.getUserPrincipal() == null) {
      response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
      return;
    }
    response.sendRedirect(request.getContextPath() + "/protected");
  }
}
