package dev.portcullis.problem;

import jakarta.json.Json;
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

  /** The body as JSON. */
  public JsonObject toJson() {
    return Json.createObjectBuilder()
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
