package dev.portcullis.problem;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Writes a {@link ProblemException} as its problem+json response, with its {@code Retry-After}. (A
 * 429 is audited by {@code dev.portcullis.audit.RateLimitedResponses}, which sees every answer of
 * the JSON API.)
 */
@Provider
public class ProblemExceptionMapper implements ExceptionMapper<ProblemException> {

  @Override
  public Response toResponse(ProblemException exception) {
    var response = exception.problem().toResponse();
    if (exception.retryAfterSeconds() > 0) {
      return Response.fromResponse(response)
          .header("Retry-After", null)
          .header("Retry-After", Long.toString(exception.retryAfterSeconds()))
          .build();
    }
    return response;
  }
}
