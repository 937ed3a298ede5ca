package dev.portcullis.authentication;

import dev.portcullis.credential.Rejection;
import dev.portcullis.problem.ErrorCode;
import dev.portcullis.problem.Problem;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes the mechanism's refusals: 401 with an RFC 6750 {@code WWW-Authenticate} challenge, 400 for
 * a malformed request, 429 and 503 with {@code Retry-After}, each with a problem+json body.
 *
 * <p>The response is written and committed here instead of through {@code sendError}, so the
 * container adds no error page of its own and every server answers the same.
 */
final class Challenges {

  private Challenges() {}

  static void rejected(HttpServletResponse response, Rejection rejection, String scheme) {
    var problem = Problem.of(rejection.code(), rejection.description());
    String challenge =
        rejection.status() == 401
            ? scheme
                + " realm=\"portcullis\", error=\"invalid_token\", error_description=\""
                + rejection.description()
                + "\""
            : null;
    write(response, problem, challenge, rejection.retryAfterSeconds());
  }

  static void ambiguous(HttpServletResponse response) {
    write(
        response,
        Problem.of(ErrorCode.AMBIGUOUS_CREDENTIALS, "Send exactly one credential per request"),
        "Bearer realm=\"portcullis\", error=\"invalid_request\"",
        0);
  }

  private static void write(
      HttpServletResponse response, Problem problem, String challenge, long retryAfterSeconds) {
    try {
      response.resetBuffer();
      response.setHeader("X-Content-Type-Options", "nosniff");
      if (challenge != null) {
        response.setHeader("WWW-Authenticate", challenge);
      }
      if ((problem.status() == 503 || problem.status() == 429) && retryAfterSeconds > 0) {
        response.setHeader("Retry-After", Long.toString(retryAfterSeconds));
      }
      problem.writeTo(response);
      response.flushBuffer();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
