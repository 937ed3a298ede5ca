package dev.portcullis.bench.bare;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The bare server's servlet: the same JSON as Portcullis' {@code /health/live}, written by a plain
 * servlet. The baseline of forward authentication, which need not be a JAX-RS resource.
 */
@WebServlet("/servlet/live")
public class BareLiveServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setContentType("application/json");
    response.setHeader("Cache-Control", "no-store");
    response.getWriter().write(BareHealthResource.UP);
  }
}
