package dev.portcullis.oauth.wire;

import jakarta.json.Json;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Writes an {@link OAuthError} as RFC 6749 5.2 JSON with {@code Cache-Control: no-store}. */
@Provider
public class OAuthErrorMapper implements ExceptionMapper<OAuthError> {

  @Override
  public Response toResponse(OAuthError e) {
    var body = Json.createObjectBuilder().add("error", e.error());
    if (e.description() != null) {
      body.add("error_description", e.description());
    }
    var response =
        Response.status(e.status())
            .type(MediaType.APPLICATION_JSON_TYPE)
            .header("Cache-Control", "no-store")
            .header("Pragma", "no-cache")
            .entity(body.build().toString());
    e.headers().forEach(response::header);
    return response.build();
  }
}
