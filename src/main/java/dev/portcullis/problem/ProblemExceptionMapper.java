package dev.portcullis.problem;

import dev.portcullis.audit.ClientInfo;
import dev.portcullis.audit.Refusals;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Writes a {@link ProblemException} as its problem+json response. A 429 is audited here, where the
 * JSON API answers it ({@link Refusals}: {@code RATE_LIMITED}, aggregated per source), naming the
 * resource method that refused, never the request's own URI.
 */
@Provider
public class ProblemExceptionMapper implements ExceptionMapper<ProblemException> {

  @Inject Refusals refusals;

  @Context HttpServletRequest request;

  @Context ResourceInfo resource;

  @Override
  public Response toResponse(ProblemException exception) {
    if (exception.problem().status() == 429) {
      refusals.rateLimited(ClientInfo.of(request), "API", endpoint());
    }
    var response = exception.problem().toResponse();
    if (exception.retryAfterSeconds() > 0) {
      return Response.fromResponse(response)
          .header("Retry-After", null)
          .header("Retry-After", Long.toString(exception.retryAfterSeconds()))
          .build();
    }
    return response;
  }

  private String endpoint() {
    var method = resource == null ? null : resource.getResourceMethod();
    return method == null
        ? "unknown"
        : method.getDeclaringClass().getSimpleName() + "." + method.getName();
  }
}
