package dev.portcullis.delegation.app.elytron;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Where Portcullis sends the browser after signing it out (the post-logout redirect URI). */
@WebServlet("/signed-out")
public class ElytronSignedOutServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    ElytronPages.write(
        response,
        "Signed out",
        "<p id=\"signed-out\">You are signed out.</p>\n"
            + "<p>Caller: <span id=\"caller\">"
            + ElytronPages.escape(
                request.getUserPrincipal() == null ? "" : request.getUserPrincipal().getName())
            + "</span></p>");
  }
}
