package dev.portcullis.authentication;

import dev.portcullis.caller.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.util.TreeSet;

/**
 * {@code GET /api/v1/auth/verify}: forward authentication for reverse proxies (nginx {@code
 * auth_request}, Traefik ForwardAuth). 200 with the caller in {@code X-Auth-*} headers, or the
 * mechanism's 401.
 *
 * <p>Only here is an API key checked against an audience the request names ({@code X-Audience}),
 * and only when the request comes from a trusted proxy ({@code portcullis.trusted-proxies}), which
 * must set that header itself and never pass the client's through; everywhere else the audience is
 * Portcullis' own (see {@code ApiKeyReader}). Its normalised path is {@link
 * dev.portcullis.web.RequestPaths#FORWARD_AUTH}.
 */
@Path("v1/auth/verify")
@RequestScoped
@RolesAllowed({"user", "admin"})
public class VerifyResource {

  @Context HttpServletRequest request;

  @GET
  public Response verify() {
    var caller = Caller.of(request);
    return Response.ok()
        .header("X-Auth-Subject", caller.userId().toString())
        .header("X-Auth-User", caller.username())
        .header("X-Auth-Groups", String.join(",", new TreeSet<>(caller.groups())))
        .header("Cache-Control", "no-store")
        .build();
  }
}
