package dev.portcullis.delegation.app.oidc;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** The minimal HTML of the test application's pages. Stateless. */
final class Pages {

  private Pages() {}

  static void write(HttpServletResponse response, String title, String body) throws IOException {
    response.setContentType("text/html;charset=UTF-8");
    response.setHeader("Cache-Control", "no-store");
    response
        .getWriter()
        .write(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><title>"
                + title
                + "</title></head>\n<body><main>\n"
                + body
                + "\n</main></body></html>\n");
  }

  static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
