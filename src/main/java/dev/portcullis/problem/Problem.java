package dev.portcullis.problem;

import jakarta.json.JsonObject;
import jakarta.ws.rs.core.Response;

/**
 * An RFC 9457 problem detail with Portcullis' stable upper-case {@code code}.
 *
 * @param status the HTTP status
 * @param code the stable machine-readable code, such as {@code INVALID_CREDENTIALS}
 * @param title a short summary of the problem type
 * @param detail a human-readable explanation of this occurrence; never a secret or stack trace
 */
public record Problem(int status, String code, String title, String detail) {

  /** The media type of every error body. */
  public static final String MEDIA_TYPE = "application/problem+json";

  /** The problem for an HTTP error status the container or REST runtime produced itself. */
  public static Problem forStatus(int status) {
    return switch (status) {
      case 400 -> new Problem(400, "BAD_REQUEST", "Bad request", "The request is malformed");
      case 401 -> new Problem(401, "UNAUTHORIZED", "Unauthorized", "Authentication required");
      case 403 -> new Problem(403, "FORBIDDEN", "Forbidden", "The caller may not do this");
      case 404 -> new Problem(404, "NOT_FOUND", "Not found", "No such resource");
      case 405 ->
          new Problem(
              405,
              "METHOD_NOT_ALLOWED",
              "Method not allowed",
              "This resource does not support that method");
      case 406 ->
          new Problem(
              406, "NOT_ACCEPTABLE", "Not acceptable", "This resource answers application/json");
      case 413 ->
          new Problem(
              413, "PAYLOAD_TOO_LARGE", "Payload too large", "The request body is too large");
      case 415 ->
          new Problem(
              415,
              "UNSUPPORTED_MEDIA_TYPE",
              "Unsupported media type",
              "Send the request body as application/json");
      case 503 ->
          new Problem(
              503,
              "SERVICE_UNAVAILABLE",
              "Service unavailable",
              "The service is temporarily unavailable; retry later");
      default ->
          status >= 500
              ? new Problem(500, "INTERNAL_ERROR", "Internal error", "The request failed")
              : new Problem(status, "BAD_REQUEST", "Bad request", "The request is malformed");
    };
  }

  /** The body as JSON. */
  public JsonObject toJson() {
    return JsonFactory.createObjectBuilder()
        .add("type", "https://portcullis.dev/problems/" + code.toLowerCase().replace('_', '-'))
        .add("title", title)
        .add("status", status)
        .add("detail", detail)
        .add("code", code)
        .build();
  }

  /** A JAX-RS response carrying this problem, never cached. */
  public Response toResponse() {
    var builder =
        Response.status(status)
            .type(MEDIA_TYPE)
            .header("Cache-Control", "no-store")
            .entity(toJson().toString());
    if (status == 503 || status == 429) {
      builder.header("Retry-After", "5");
    }
    return builder.build();
  }
}
