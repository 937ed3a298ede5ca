package dev.portcullis.upstream;

import dev.portcullis.caller.Caller;
import dev.portcullis.problem.JsonFactory;
import dev.portcullis.problem.ProblemException;
import dev.portcullis.user.UserService;
import dev.portcullis.web.ClientInfo;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
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
import java.util.List;
import java.util.UUID;

/**
 * {@code /api/v1/admin/users/{id}/links}: an administrator sees and removes any user's links to
 * upstream accounts (SPEC 3.7).
 *
 * <ul>
 *   <li>{@code GET} → 200 {@code {"links":[{"id","provider","issuer","subject","email","linked_at",
 *       "last_used_at"}]}}, oldest first, times ISO-8601 (null when absent);
 *   <li>{@code DELETE …/{linkId}} → 204, audited as {@code UPSTREAM_UNLINKED} by the administrator;
 *       409 {@code LAST_SIGN_IN_METHOD} when it is the user's only way to sign in.
 * </ul>
 *
 * An unknown or malformed user or link id is 404 {@code NOT_FOUND}. An admin-scoped API key may
 * list links but never remove one: a link is a way to sign in, a credential, and keys never manage
 * credentials (403 {@code FORBIDDEN}, {@link Caller#requireCredentialManager()}).
 */
@Path("v1/admin/users/{id}/links")
@RequestScoped
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class AdminUpstreamLinkResource {

  @Inject UpstreamLinks links;
  @Inject UserService users;

  @Context HttpServletRequest request;

  @GET
  public String list(@PathParam("id") String id) {
    var user = users.find(uuid(id, "User")).orElseThrow(() -> ProblemException.notFound("User"));
    return view(links.of(user.id())).toString();
  }

  @DELETE
  @Path("{linkId}")
  public Response unlink(@PathParam("id") String id, @PathParam("linkId") String linkId) {
    String actor = Caller.of(request).requireCredentialManager().userId().toString();
    links.unlink(uuid(id, "User"), uuid(linkId, "Linked account"), actor, ClientInfo.of(request));
    return Response.noContent().build();
  }

  /** The JSON body of a list: never anything but what identifies and dates a link. */
  static JsonObject view(List<UpstreamLink> links) {
    var items = JsonFactory.createArrayBuilder();
    for (var link : links) {
      var json =
          JsonFactory.createObjectBuilder()
              .add("id", link.id().toString())
              .add("provider", link.providerId())
              .add("issuer", link.issuer())
              .add("subject", link.subject());
      optional(json, "email", link.email());
      optional(json, "linked_at", link.linkedAt());
      optional(json, "last_used_at", link.lastUsedAt());
      items.add(json);
    }
    return JsonFactory.createObjectBuilder().add("links", items).build();
  }

  private static void optional(JsonObjectBuilder json, String name, Object value) {
    if (value == null) {
      json.addNull(name);
    } else {
      json.add(name, value.toString());
    }
  }

  private static UUID uuid(String value, String what) {
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw ProblemException.notFound(what);
    }
  }
}
