package dev.portcullis.problem;

import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An RFC 9457 problem detail with Portcullis' stable upper-case {@code code}, one of {@link
 * ErrorCode}.
 *
 * <p>Usage: {@code Problem.of(ErrorCode.CSRF_REJECTED, "Log out from this site's own page")}, which
 * takes the status and title from the catalogue.
 *
 * @param status the HTTP status
 * @param code the stable machine-readable code, such as {@code INVALID_CREDENTIALS}: an {@link
 *     ErrorCode}'s wire value
 * @param title a short summary of the problem type
 * @param detail a human-readable explanation of this occurrence; never a secret or stack trace
 */
public record Problem(int status, String code, String title, String detail) {

  /** The media type of every error body. */
  public static final String MEDIA_TYPE = "application/problem+json";

  /** The problem {@code code} names, with the one status and title it is always sent with. */
  public static Problem of(ErrorCode code, String detail) {
    return new Problem(code.status(), code.code(), code.title(), detail);
  }

  /**
   * The problem {@code code} names, sent with {@code status}: for {@link ErrorCode#BAD_REQUEST},
   * whose status is that of the error it answers.
   *
   * @throws IllegalArgumentException if {@code code} is always sent with another status
   */
  public static Problem of(int status, ErrorCode code, String detail) {
    if (code.hasOneStatus() && code.status() != status) {
      throw new IllegalArgumentException(
          code + " is sent with " + code.status() + ", not " + status);
    }
    return new Problem(status, code.code(), code.title(), detail);
  }

  /** The problem for an HTTP error status the container or REST runtime produced itself. */
  public static Problem forStatus(int status) {
    return switch (status) {
      case 400 -> of(400, ErrorCode.BAD_REQUEST, "The request is malformed");
      case 401 -> of(ErrorCode.UNAUTHORIZED, "Authentication required");
      case 403 -> of(ErrorCode.FORBIDDEN, "The caller may not do this");
      case 404 -> of(ErrorCode.NOT_FOUND, "No such resource");
      case 405 -> of(ErrorCode.METHOD_NOT_ALLOWED, "This resource does not support that method");
      case 406 -> of(ErrorCode.NOT_ACCEPTABLE, "This resource answers application/json");
      case 413 -> of(ErrorCode.PAYLOAD_TOO_LARGE, "The request body is too large");
      case 415 -> of(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send the request body as application/json");
      case 503 ->
          of(ErrorCode.SERVICE_UNAVAILABLE, "The service is temporarily unavailable; retry later");
      default ->
          status >= 500
              ? of(ErrorCode.INTERNAL_ERROR, "The request failed")
              : of(status, ErrorCode.BAD_REQUEST, "The request is malformed");
    };
  }

  /** Whether this problem carries {@code code}. */
  public boolean is(ErrorCode code) {
    return this.code.equals(code.code());
  }

  /** The body as JSON. */
  public JsonObject toJson() {
    return JsonFactory.createObjectBuilder()
        .add(
            "type",
            "https://portcullis.dev/problems/" + code.toLowerCase(Locale.ROOT).replace('_', '-'))
        .add("title", title)
        .add("status", status)
        .add("detail", detail)
        .add("code", code)
        .build();
  }

  /**
   * Writes this problem as {@code response}'s status and body, never cached, for the servlets and
   * filters that answer before JAX-RS: a 503 or 429 gets {@code Retry-After: 5} unless the caller
   * has set its own. Headers the caller wants beside it are set before this call.
   */
  public void writeTo(HttpServletResponse response) throws IOException {
    response.setStatus(status);
    response.setContentType(MEDIA_TYPE);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.setHeader("Cache-Control", "no-store");
    if ((status == 503 || status == 429) && !response.containsHeader("Retry-After")) {
      response.setHeader("Retry-After", "5");
    }
    response.getWriter().write(toJson().toString());
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
