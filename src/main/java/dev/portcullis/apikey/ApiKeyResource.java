package dev.portcullis.apikey;

import dev.portcullis.caller.Caller;
import dev.portcullis.problem.JsonFactory;
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

/**
 * {@code /api/v1/keys}: the caller's own API keys. Another user's key is answered 404. Keys are
 * created, rotated and revoked with a token or session, not with an API key (403 {@code FORBIDDEN},
 * {@link Caller#requireCredentialManager()}), so a leaked key cannot mint or rotate itself into
 * persistence; a new key's scopes stay within the caller's own authority (403 {@code
 * INSUFFICIENT_SCOPE}). Listing one's keys works with any credential.
 */
@Path("v1/keys")
@RequestScoped
@RolesAllowed({"user", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class ApiKeyResource {

  @Inject ApiKeyService keys;
  @Inject Clock clock;

  @Context HttpServletRequest request;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response create(String body) {
    var caller = Caller.of(request).requireCredentialManager();
    var created =
        keys.create(caller.userId(), ApiKeyRequests.newKey(body), caller, ClientInfo.of(request));
    return Response.created(URI.create("/api/v1/keys/" + created.key().id()))
        .entity(ApiKeyView.created(created, clock.instant()).toString())
        .header("Cache-Control", "no-store")
        .build();
  }

  @GET
  public String list() {
    var items = JsonFactory.createArrayBuilder();
    keys.list(Caller.of(request).userId())
        .forEach(k -> items.add(ApiKeyView.of(k, clock.instant())));
    return JsonFactory.createObjectBuilder().add("items", items).build().toString();
  }

  @DELETE
  @Path("{id}")
  public Response revoke(@PathParam("id") String id) {
    var caller = Caller.of(request).requireCredentialManager();
    keys.revoke(caller.userId(), id, caller, ClientInfo.of(request));
    return Response.noContent().build();
  }

  @POST
  @Path("{id}/rotate")
  public Response rotate(@PathParam("id") String id, String body) {
    var caller = Caller.of(request).requireCredentialManager();
    var rotated =
        keys.rotate(
            caller.userId(), id, ApiKeyRequests.grace(body), caller, ClientInfo.of(request));
    return Response.ok(ApiKeyView.created(rotated, clock.instant()).toString())
        .header("Cache-Control", "no-store")
        .build();
  }
}
