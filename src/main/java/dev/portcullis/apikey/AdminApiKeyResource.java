package dev.portcullis.apikey;

import dev.portcullis.caller.Caller;
import dev.portcullis.problem.JsonFactory;
import dev.portcullis.problem.ProblemException;
import dev.portcullis.web.ClientInfo;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.util.UUID;

/**
 * {@code /api/v1/admin/users/{userId}/keys}: an administrator manages any user's API keys. An
 * admin-scoped API key may list them but never create, rotate or revoke one (403 {@code
 * FORBIDDEN}); a new key carries only scopes both the user and the acting administrator hold.
 */
@Path("v1/admin/users/{userId}/keys")
@RequestScoped
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class AdminApiKeyResource {

  @Inject ApiKeyService keys;
  @Inject Clock clock;

  @Context HttpServletRequest request;

  @GET
  public String list(@PathParam("userId") String userId) {
    var items = JsonFactory.createArrayBuilder();
    keys.list(user(userId)).forEach(k -> items.add(ApiKeyView.of(k, clock.instant())));
    return JsonFactory.createObjectBuilder().add("items", items).build().toString();
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response create(@PathParam("userId") String userId, String body) {
    var caller = manager();
    var created =
        keys.create(user(userId), ApiKeyRequests.newKey(body), caller, ClientInfo.of(request));
    return Response.created(
            URI.create("/api/v1/admin/users/" + userId + "/keys/" + created.key().id()))
        .entity(ApiKeyView.created(created, clock.instant()).toString())
        .header("Cache-Control", "no-store")
        .build();
  }

  @DELETE
  @Path("{keyId}")
  public Response revoke(@PathParam("userId") String userId, @PathParam("keyId") String keyId) {
    var caller = manager();
    keys.revoke(user(userId), keyId, caller, ClientInfo.of(request));
    return Response.noContent().build();
  }

  @POST
  @Path("{keyId}/rotate")
  public Response rotate(
      @PathParam("userId") String userId, @PathParam("keyId") String keyId, String body) {
    var caller = manager();
    var rotated =
        keys.rotate(
            user(userId), keyId, ApiKeyRequests.grace(body), caller, ClientInfo.of(request));
    return Response.ok(ApiKeyView.created(rotated, clock.instant()).toString())
        .header("Cache-Control", "no-store")
        .build();
  }

  private Caller manager() {
    return Caller.of(request).requireCredentialManager();
  }

  private static UUID user(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ProblemException.notFound("User");
    }
  }
}
