package dev.portcullis.delegation.app.mpjwt;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * {@code GET /api/whoami}: for callers with role {@code service} only, echoes what MicroProfile JWT
 * made of the token — the caller name ({@code upn}, else {@code preferred_username}, else {@code
 * sub}), its groups, subject and audience — and whether the container sees the role.
 */
@Path("whoami")
@RequestScoped
public class WhoAmIResource {

  @Inject JsonWebToken jwt;

  @Context SecurityContext security;

  @GET
  @RolesAllowed("service")
  @Produces(MediaType.APPLICATION_JSON)
  public JsonObject whoAmI() {
    var groups = Json.createArrayBuilder();
    jwt.getGroups().stream().sorted().forEach(groups::add);
    var audience = Json.createArrayBuilder();
    if (jwt.getAudience() != null) {
      jwt.getAudience().stream().sorted().forEach(audience::add);
    }
    return Json.createObjectBuilder()
        .add("name", jwt.getName())
        .add("subject", jwt.getSubject())
        .add("groups", groups)
        .add("audience", audience)
        .add("service", security.isUserInRole("service"))
        .build();
  }
}
