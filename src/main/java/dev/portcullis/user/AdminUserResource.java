package dev.portcullis.user;

import dev.portcullis.caller.Caller;
import dev.portcullis.problem.JsonBodies;
import dev.portcullis.problem.JsonFactory;
import dev.portcullis.problem.Problem;
import dev.portcullis.problem.ProblemException;
import dev.portcullis.ratelimit.Lockouts;
import dev.portcullis.ratelimit.RateLimits;
import dev.portcullis.web.ClientInfo;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.HashSet;
import java.util.UUID;

/**
 * {@code /api/v1/admin/users}: the minimal user administration operators and tests need — create,
 * list, show, disable / enable, unlock, set roles, reset password, import from a legacy realm.
 * Admin only; every change is audited.
 *
 * <p>An admin-scoped API key may administer users, but never set a credential: creating a user (it
 * sets a password), resetting a password and importing password hashes answer it 403 {@code
 * FORBIDDEN} ({@link Caller#requireCredentialManager()}).
 */
@Path("v1/admin/users")
@RequestScoped
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class AdminUserResource {

  @Inject UserService users;
  @Inject UserImport imports;
  @Inject Lockouts lockouts;
  @Inject RateLimits rateLimits;

  @Context HttpServletRequest request;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response create(String body) {
    String actor = credentialManager();
    var json = JsonBodies.object(body);
    var user =
        users.create(
            new NewUser(
                JsonBodies.requiredString(json, "username"),
                JsonBodies.optionalString(json, "email").orElse(null),
                JsonBodies.requiredString(json, "password"),
                new HashSet<>(JsonBodies.stringList(json, "roles")),
                JsonBodies.optionalBoolean(json, "password_change_required", false)),
            actor,
            ClientInfo.of(request));
    return Response.created(URI.create("/api/v1/admin/users/" + user.id()))
        .entity(UserView.of(user).toString())
        .build();
  }

  /**
   * Imports up to {@value UserImport#MAX_USERS} users with legacy password hashes, all or none: 200
   * {@code {"imported":n,"schemes":{...},"users":[{"index","id","username"}...]}}, or 400 {@code
   * VALIDATION_FAILED} with {@code errors} naming every refused row.
   */
  @POST
  @Path("import")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response importUsers(String body) {
    String actor = credentialManager();
    var result = imports.importUsers(JsonBodies.object(body), actor, ClientInfo.of(request));
    if (result.succeeded()) {
      var schemes = JsonFactory.createObjectBuilder();
      result.schemes().forEach((scheme, count) -> schemes.add(scheme.label(), count));
      var imported = JsonFactory.createArrayBuilder();
      for (var user : result.imported()) {
        imported.add(
            JsonFactory.createObjectBuilder()
                .add("index", user.index())
                .add("id", user.id().toString())
                .add("username", user.username()));
      }
      return Response.ok(
              JsonFactory.createObjectBuilder()
                  .add("imported", result.imported().size())
                  .add("schemes", schemes)
                  .add("users", imported)
                  .build()
                  .toString())
          .build();
    }
    var errors = JsonFactory.createArrayBuilder();
    for (var error : result.errors()) {
      var row = JsonFactory.createObjectBuilder().add("index", error.index());
      if (error.username() == null) {
        row.addNull("username");
      } else {
        row.add("username", error.username());
      }
      errors.add(row.add("code", error.code()).add("detail", error.detail()));
    }
    var problem =
        ProblemException.validation(
                result.errors().size() + " of the users were refused; nothing was imported")
            .problem();
    return Response.status(400)
        .type(Problem.MEDIA_TYPE)
        .header("Cache-Control", "no-store")
        .entity(
            JsonFactory.createObjectBuilder(problem.toJson())
                .add("errors", errors)
                .build()
                .toString())
        .build();
  }

  @GET
  public String list(@QueryParam("offset") String offset, @QueryParam("limit") String limit) {
    int from = whole(offset, 0);
    int size = whole(limit, 50);
    if (from < 0 || size < 1 || size > 500) {
      throw ProblemException.validation("offset must be >= 0 and limit 1..500");
    }
    var items = JsonFactory.createArrayBuilder();
    users.list(from, size).forEach(u -> items.add(UserView.of(u)));
    return JsonFactory.createObjectBuilder()
        .add("items", items)
        .add("offset", from)
        .add("limit", size)
        .add("total", users.count())
        .build()
        .toString();
  }

  @GET
  @Path("{id}")
  public String show(@PathParam("id") String id) {
    return UserView.of(users.find(userId(id)).orElseThrow(() -> ProblemException.notFound("User")))
        .toString();
  }

  @POST
  @Path("{id}/disable")
  public String disable(@PathParam("id") String id) {
    return UserView.of(
            users.setStatus(userId(id), UserStatus.DISABLED, actor(), ClientInfo.of(request)))
        .toString();
  }

  /**
   * Lifts a lock-out: forgets the account's failures from every network (database) and its
   * account-wide failed-attempt ceiling; each network's own rate limit refills by itself. Audited
   * as {@code USER_UNLOCKED}.
   */
  @POST
  @Path("{id}/unlock")
  public Response unlock(@PathParam("id") String id) {
    var user = users.find(userId(id)).orElseThrow(() -> ProblemException.notFound("User"));
    lockouts.unlock(user.id(), actor(), ClientInfo.of(request));
    rateLimits.forgetAccount(Usernames.key(user.username()));
    return Response.noContent().build();
  }

  @POST
  @Path("{id}/enable")
  public String enable(@PathParam("id") String id) {
    return UserView.of(
            users.setStatus(userId(id), UserStatus.ACTIVE, actor(), ClientInfo.of(request)))
        .toString();
  }

  @PUT
  @Path("{id}/roles")
  @Consumes(MediaType.APPLICATION_JSON)
  public String setRoles(@PathParam("id") String id, String body) {
    var roles = new HashSet<>(JsonBodies.stringList(JsonBodies.object(body), "roles"));
    return UserView.of(users.setRoles(userId(id), roles, actor(), ClientInfo.of(request)))
        .toString();
  }

  @POST
  @Path("{id}/password")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response resetPassword(@PathParam("id") String id, String body) {
    String actor = credentialManager();
    var json = JsonBodies.object(body);
    users.resetPassword(
        userId(id),
        JsonBodies.requiredString(json, "password"),
        JsonBodies.optionalBoolean(json, "temporary", false),
        actor,
        ClientInfo.of(request));
    return Response.noContent().build();
  }

  private String actor() {
    return Caller.of(request).userId().toString();
  }

  /** The acting administrator, unless it is an API key: keys never set credentials (403). */
  private String credentialManager() {
    return Caller.of(request).requireCredentialManager().userId().toString();
  }

  private static int whole(String value, int fallback) {
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw ProblemException.validation("offset and limit must be whole numbers");
    }
  }

  private static UUID userId(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ProblemException.notFound("User");
    }
  }
}
