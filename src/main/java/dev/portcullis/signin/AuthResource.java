package dev.portcullis.signin;

import dev.portcullis.caller.AuthMethod;
import dev.portcullis.caller.Caller;
import dev.portcullis.problem.JsonBodies;
import dev.portcullis.session.SessionCookies;
import dev.portcullis.session.SessionService;
import dev.portcullis.web.ClientInfo;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/**
 * {@code /api/v1/auth}: password login, refresh, password change and logout for JSON clients. Token
 * responses are never cached. A successful login also sets the {@code __Host-portcullis-device}
 * cookie to a fresh value the server issued ({@link KnownDevices}); clients that keep it are not
 * locked out by others' failures.
 */
@Path("v1/auth")
@RequestScoped
public class AuthResource {

  @Inject TokenGrants grants;
  @Inject SessionService sessions;
  @Inject KnownDevices devices;

  @Context HttpServletRequest request;

  @POST
  @Path("login")
  @PermitAll
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Response login(String body) {
    var json = JsonBodies.object(body);
    var device = DeviceCookie.of(request);
    return tokens(
        grants.password(
            JsonBodies.requiredString(json, "username"),
            JsonBodies.requiredString(json, "password"),
            ClientInfo.of(request),
            device),
        devices.setCookie(device.next()));
  }

  @POST
  @Path("refresh")
  @PermitAll
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Response refresh(String body) {
    var json = JsonBodies.object(body);
    return tokens(
        grants.refresh(JsonBodies.requiredString(json, "refresh_token"), ClientInfo.of(request)),
        null);
  }

  /**
   * Changes the caller's password given the current one; also how a one-time password is replaced.
   */
  @POST
  @Path("password")
  @PermitAll
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Response changePassword(String body) {
    var json = JsonBodies.object(body);
    return tokens(
        grants.changePassword(
            JsonBodies.requiredString(json, "username"),
            JsonBodies.requiredString(json, "password"),
            JsonBodies.requiredString(json, "new_password"),
            ClientInfo.of(request),
            KnownDevices.read(request).orElse(null)),
        null);
  }

  @POST
  @Path("logout")
  @RolesAllowed({"user", "admin"})
  public Response logout() {
    var caller = Caller.of(request);
    if (caller.method() == AuthMethod.SESSION) {
      sessions.end(
          caller.userId(), UUID.fromString(caller.sessionId()), "LOGOUT", ClientInfo.of(request));
      return Response.noContent().header("Set-Cookie", SessionCookies.clearing()).build();
    }
    grants.logout(caller, ClientInfo.of(request));
    return Response.noContent().build();
  }

  private static Response tokens(TokenResponse response, String setCookie) {
    var builder =
        Response.ok(response.toJson().toString(), MediaType.APPLICATION_JSON)
            .header("Cache-Control", "no-store")
            .header("Pragma", "no-cache");
    if (setCookie != null) {
      builder.header("Set-Cookie", setCookie);
    }
    return builder.build();
  }
}
