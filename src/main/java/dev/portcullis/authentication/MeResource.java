package dev.portcullis.authentication;

import dev.portcullis.caller.AuthMethod;
import dev.portcullis.caller.Caller;
import dev.portcullis.problem.JsonFactory;
import dev.portcullis.problem.ProblemException;
import dev.portcullis.user.UserSnapshots;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /api/v1/me}: who the caller is and how they authenticated. */
@Path("v1/me")
@RequestScoped
@RolesAllowed({"user", "admin"})
public class MeResource {

  @Inject UserSnapshots users;

  @Context HttpServletRequest request;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public String me() {
    var caller = Caller.of(request);
    var user = users.get(caller.userId()).orElseThrow(() -> ProblemException.notFound("User"));
    var roles = JsonFactory.createArrayBuilder();
    caller.groups().stream().sorted().forEach(roles::add);
    var json =
        JsonFactory.createObjectBuilder()
            .add("id", user.id().toString())
            .add("username", user.username())
            .add("roles", roles)
            .add("auth_method", caller.method().wireName());
    if (user.email() == null) {
      json.addNull("email");
    } else {
      json.add("email", user.email());
    }
    if (caller.method() == AuthMethod.API_KEY) {
      json.add("key_id", caller.credentialId());
    }
    return json.build().toString();
  }
}
