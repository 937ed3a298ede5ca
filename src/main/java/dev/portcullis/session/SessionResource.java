package dev.portcullis.session;

import dev.portcullis.audit.ClientInfo;
import dev.portcullis.authentication.Caller;
import dev.portcullis.problem.JsonFactory;
import dev.portcullis.problem.ProblemException;
import dev.portcullis.token.RefreshTokens;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObjectBuilder;
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
 * {@code /api/v1/sessions}: the caller's browser sessions and API logins (refresh-token families)
 * together, with created / last-seen / IP / user agent; {@code DELETE} ends one of either kind.
 * With a token or a browser session only: an API key neither lists nor ends sessions (403 {@code
 * FORBIDDEN}, {@link Caller#requireCredentialManager()}).
 */
@Path("v1/sessions")
@RequestScoped
@RolesAllowed({"user", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

  @Inject SessionService sessions;
  @Inject RefreshTokens refreshTokens;

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
    UUID sessionId;
    try {
      sessionId = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ProblemException.notFound("Session");
    }
    if (!refreshTokens.revokeOwned(caller.userId(), sessionId, "ENDED_BY_USER")) {
      sessions.end(caller.userId(), sessionId, "ENDED_BY_USER", ClientInfo.of(request));
    }
    return Response.noContent().build();
  }

  private JsonArray items(Caller caller) {
    var items = JsonFactory.createArrayBuilder();
    for (var session : sessions.list(caller.userId())) {
      items.add(
          item(session.id().toString(), "browser", caller)
              .add("created_at", session.createdAt().toString())
              .add("last_seen_at", sessions.lastSeen(session).toString())
              .add("expires_at", session.absoluteExpiresAt().toString())
              .add("ip", nullToEmpty(session.clientIp()))
              .add("user_agent", nullToEmpty(session.userAgent())));
    }
    for (var family : refreshTokens.activeFamilies(caller.userId())) {
      items.add(
          item(family.id().toString(), "api", caller)
              .add("created_at", family.createdAt().toString())
              .add("last_seen_at", family.lastUsedAt().toString())
              .add("expires_at", family.expiresAt().toString())
              .add("ip", nullToEmpty(family.clientIp()))
              .add("user_agent", nullToEmpty(family.userAgent())));
    }
    return items.build();
  }

  private static JsonObjectBuilder item(String id, String kind, Caller caller) {
    return JsonFactory.createObjectBuilder()
        .add("id", id)
        .add("kind", kind)
        .add("current", id.equals(caller.sessionId()));
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }
}
