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
    var problem = Problem.forStatus(status);
    var response = problem.toResponse();
    if (status == 405 && exception.getResponse().getHeaderString("Allow") != null) {
      return Response.fromResponse(response)
          .header("Allow", exception.getResponse().getHeaderString("Allow"))
          .build();
    }
    return response;
  }
}
