package dev.portcullis.token;

import dev.portcullis.caller.Caller;
import dev.portcullis.problem.JsonFactory;
import dev.portcullis.web.ClientInfo;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;

/**
 * {@code /api/v1/admin/signing-keys}: list keys, rotate now (the emergency path) and revoke a
 * compromised key. Never returns private key material. An admin-scoped API key may list the keys
 * but not rotate or revoke them (403 {@code FORBIDDEN}, {@link Caller#requireCredentialManager()}).
 */
@Path("v1/admin/signing-keys")
@RequestScoped
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class SigningKeyAdminResource {

  @Inject SigningKeys keys;
  @Inject Clock clock;

  @Context HttpServletRequest request;

  @GET
  public String list() {
    var ring = keys.current();
    var now = clock.instant();
    var items = JsonFactory.createArrayBuilder();
    for (var key : keys.all()) {
      var json =
          JsonFactory.createObjectBuilder()
              .add("kid", key.kid())
              .add("alg", key.algorithm())
              .add("created_at", key.createdAt().toString())
              .add("activates_at", key.activatesAt().toString());
      String status;
      if (key.revokedAt() != null) {
        status = "revoked";
        json.add("revoked_at", key.revokedAt().toString());
      } else if (key.activatesAt().isAfter(now)) {
        status = "pending";
      } else if (ring.signingKey(key.algorithm(), now)
          .map(k -> k.kid().equals(key.kid()))
          .orElse(false)) {
        status = "active";
      } else {
        status = "retired";
      }
      items.add(json.add("status", status));
    }
    return JsonFactory.createObjectBuilder().add("keys", items).build().toString();
  }

  @POST
  @Path("rotate")
  public String rotate() {
    String kid = keys.rotateNow(credentialManager(), ClientInfo.of(request));
    return JsonFactory.createObjectBuilder().add("kid", kid).build().toString();
  }

  @POST
  @Path("{kid}/revoke")
  public String revoke(@PathParam("kid") String kid) {
    keys.revoke(kid, credentialManager(), ClientInfo.of(request));
    return JsonFactory.createObjectBuilder().add("revoked", kid).build().toString();
  }

  /** The acting administrator, unless it is an API key: keys never manage credentials (403). */
  private String credentialManager() {
    return Caller.of(request).requireCredentialManager().userId().toString();
  }
}
