package dev.portcullis.problem;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Turns the REST runtime's own errors (404, 405, 406, 415, its 400s and 403s) into problem+json, so
 * no container page or framework text reaches a client.
 */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

  @Override
  public Response toResponse(WebApplicationException exception) {
    int status = exception.getResponse().getStatus();
    var problem =
        switch (status) {
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
                  406,
                  "NOT_ACCEPTABLE",
                  "Not acceptable",
                  "This resource answers application/json");
          case 413 ->
              new Problem(
                  413, "PAYLOAD_TOO_LARGE", "Payload too large", "The request body is too large");
          case 415 ->
              new Problem(
                  415,
                  "UNSUPPORTED_MEDIA_TYPE",
                  "Unsupported media type",
                  "Send the request body as application/json");
          default ->
              status >= 500
                  ? new Problem(500, "INTERNAL_ERROR", "Internal error", "The request failed")
                  : new Problem(status, "BAD_REQUEST", "Bad request", "The request is malformed");
        };
    var response = problem.toResponse();
    if (status == 405 && exception.getResponse().getHeaderString("Allow") != null) {
      return Response.fromResponse(response)
          .header("Allow", exception.getResponse().getHeaderString("Allow"))
          .build();
    }
    return response;
  }
}
