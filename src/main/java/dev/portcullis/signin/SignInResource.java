package dev.portcullis.signin;

import dev.portcullis.caller.Caller;
import dev.portcullis.problem.JsonFactory;
import dev.portcullis.problem.ProblemException;
import dev.portcullis.web.ClientInfo;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/**
 * {@code /api/v1/sessions}: the caller's sign-ins ({@link UserSignIns}), browser sessions and API
 * logins (refresh-token families) together, with created / last-seen / IP / user agent; {@code
 * DELETE} ends one of either kind. With a token or a browser session only: an API key neither lists
 * nor ends sessions (403 {@code FORBIDDEN}, {@link Caller#requireCredentialManager()}).
 */
@Path("v1/sessions")
@RequestScoped
@RolesAllowed({"user", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class SignInResource {

  @Inject UserSignIns signIns;

  @Context HttpServletRequest request;

  @GET
  public String list() {
    var caller = Caller.of(request).requireCredentialManager();
    return JsonFactory.createObjectBuilder().add("items", items(caller)).build().toString();
  }

  @DELETE
  @Path("{id}")
  public Response end(@PathParam("id") String id) {
    var caller = Caller.of(request).requireCredentialManager();
    UUID signInId;
    try {
      signInId = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ProblemException.notFound("Session");
    }
    signIns.end(caller, signInId, ClientInfo.of(request));
    return Response.noContent().build();
  }

  private JsonArray items(Caller caller) {
    var items = JsonFactory.createArrayBuilder();
    for (var signIn : signIns.of(caller)) {
      items.add(
          JsonFactory.createObjectBuilder()
              .add("id", signIn.id())
              .add("kind", signIn.kind())
              .add("current", signIn.current())
              .add("created_at", signIn.createdAt().toString())
              .add("last_seen_at", signIn.lastSeenAt().toString())
              .add("expires_at", signIn.expiresAt().toString())
              .add("ip", nullToEmpty(signIn.ip()))
              .add("user_agent", nullToEmpty(signIn.userAgent())));
    }
    return items.build();
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }
}
