package dev.portcullis.token;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/**
 * {@code /.well-known/jwks.json}: the public signing keys, for any {@code Accept} header (Jakarta
 * Security's OpenID client sends a browser-like one). Cacheable for 5 minutes, well inside the
 * 10-minute minimum lead with which new keys are published.
 */
@Path("jwks.json")
@RequestScoped
public class JwksResource {

  @Inject SigningKeys keys;

  @GET
  public Response jwks() {
    return Response.ok(keys.jwks(), "application/jwk-set+json")
        .header("Cache-Control", "public, max-age=300")
        .build();
  }
}
