package dev.portcullis.oauth;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The page shown instead of a redirect when an authorization or logout request cannot be trusted
 * with one (unknown client, unregistered redirect URI): fixed text chosen by Portcullis, escaped,
 * no request value echoed.
 */
final class ErrorPage {

  private ErrorPage() {}

  static Response badRequest(String message) {
    return Response.status(Response.Status.BAD_REQUEST)
        .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
        .header("Cache-Control", "no-store")
        .entity(page("Request refused", message))
        .build();
  }

  static String page(String title, String message) {
    return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
        + escape(title)
        + " · Portcullis</title><link rel=\"stylesheet\" href=\"/static/portcullis.css\"></head>"
        + "<body><main class=\"card narrow\"><h1>"
        + escape(title)
        + "</h1><p id=\"oauth-error\" class=\"alert\" role=\"alert\">"
        + escape(message)
        + "</p></main></body></html>";
  }

  static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&#39;");
  }
}
