package dev.portcullis.oauth.client;

import dev.portcullis.caller.Caller;
import dev.portcullis.config.Settings;
import dev.portcullis.problem.JsonBodies;
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
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * {@code /api/v1/admin/clients}: an administrator registers, lists, shows, changes and deletes
 * OAuth clients and rotates their secrets (SPEC 3.6). The body of {@code POST} and {@code PUT} and
 * every answer use the registration's field names ({@link ClientRequests} has the rules); a
 * confidential client's {@code client_secret} appears only in the answer of {@code POST} and of
 * {@code POST …/secret}, never in a {@code GET}.
 *
 * <p>Role {@code admin}. An admin-scoped API key may read, but every change answers it 403 {@code
 * FORBIDDEN}: a client's secret is a credential ({@link Caller#requireCredentialManager()}).
 * Clients from the clients file are read-only here (409 {@code CLIENT_READ_ONLY}).
 */
@Path("v1/admin/clients")
@RequestScoped
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class AdminClientResource {

  @Inject ClientService clients;
  @Inject Settings settings;

  @Context HttpServletRequest request;

  @GET
  public String list() {
    var items = JsonFactory.createArrayBuilder();
    clients.list().forEach(c -> items.add(ClientView.of(c)));
    return JsonFactory.createObjectBuilder().add("items", items).build().toString();
  }

  @GET
  @Path("{clientId}")
  public String show(@PathParam("clientId") String clientId) {
    return ClientView.of(clients.get(clientId)).toString();
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response create(String body) {
    var caller = manager();
    var registration = ClientRequests.newClient(JsonBodies.object(body), settings);
    var created = clients.create(registration, caller, ClientInfo.of(request));
    return Response.created(location(created.client().clientId()))
        .entity(ClientView.created(created).toString())
        .header("Cache-Control", "no-store")
        .build();
  }

  @PUT
  @Path("{clientId}")
  @Consumes(MediaType.APPLICATION_JSON)
  public String replace(@PathParam("clientId") String clientId, String body) {
    var caller = manager();
    var current = clients.get(clientId);
    if (current.fromFile()) { // 404 and 409 before the body is judged
      throw ClientService.readOnly();
    }
    var registration =
        ClientRequests.replacement(
            JsonBodies.object(body), clientId, current.registered().isPublic(), settings);
    return ClientView.of(clients.update(clientId, registration, caller, ClientInfo.of(request)))
        .toString();
  }

  @DELETE
  @Path("{clientId}")
  public Response delete(@PathParam("clientId") String clientId) {
    clients.delete(clientId, manager(), ClientInfo.of(request));
    return Response.noContent().build();
  }

  @POST
  @Path("{clientId}/secret")
  public Response rotateSecret(@PathParam("clientId") String clientId) {
    var rotated = clients.rotateSecret(clientId, manager(), ClientInfo.of(request));
    return Response.ok(ClientView.created(rotated).toString())
        .header("Cache-Control", "no-store")
        .build();
  }

  private Caller manager() {
    return Caller.of(request).requireCredentialManager();
  }

  private static URI location(String clientId) {
    return URI.create(
        "/api/v1/admin/clients/" + URLEncoder.encode(clientId, StandardCharsets.UTF_8));
  }
}
