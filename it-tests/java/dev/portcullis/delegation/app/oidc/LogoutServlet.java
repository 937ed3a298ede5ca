package dev.portcullis.delegation.app.oidc;

import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Signs the caller out (a POST: a link would let any site sign users out). With {@code
 * notifyProvider = true}, {@code request.logout()} invalidates the session and redirects the
 * browser to Portcullis' {@code end_session_endpoint} with {@code id_token_hint} and {@code
 * post_logout_redirect_uri}; Portcullis ends its own session and sends the browser to {@link
 * SignedOutServlet}.
 */
@WebServlet("/logout")
public class LogoutServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    request.logout();
    if (!response.isCommitted() && response.getHeader("Location") == null) {
      // not signed in through Portcullis (no ID token to send): sign out locally only
      response.sendRedirect(request.getContextPath() + "/signed-out");
    }
  }
}
