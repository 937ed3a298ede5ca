package dev.portcullis.oauth;

import dev.portcullis.audit.AuditEventType;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.oauth.client.ClientRegistry;
import dev.portcullis.oauth.wire.OAuthError;
import dev.portcullis.token.RefreshTokens;
import dev.portcullis.web.ClientInfo;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import org.jose4j.jwt.MalformedClaimException;

/**
 * {@code POST /oauth2/revoke} (RFC 7009): the client revokes one of its own tokens. A refresh token
 * ends its family (every refresh and access token of that grant); an access token ends its family
 * too when it has one (RFC 7009 2.1 allows it), or is revoked by itself until it expires (client
 * credentials). A token that is unknown, already inactive or another client's is left alone and
 * answered 200 like the rest (RFC 7009 2.2), so the endpoint tells no one whether a token exists.
 */
@Path("revoke")
@RequestScoped
public class RevocationResource {

  @Inject ClientRegistry clients;
  @Inject IssuedTokens tokens;
  @Inject RefreshTokens refreshTokens;
  @Inject AuditLog audit;
  @Context HttpServletRequest request;

  @POST
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response revoke(MultivaluedMap<String, String> form) {
    FormParameters.requireSingle(form);
    var info = ClientInfo.of(request);
    var client = clients.authenticate(request.getHeader("Authorization"), form, info);
    String token = form.getFirst("token");
    if (token == null) {
      throw OAuthError.invalidRequest("token is required");
    }
    var family = refreshTokens.liveFamilyOf(token);
    if (family.isPresent()) {
      if (client.clientId().equals(family.get().clientId())) {
        refreshTokens.revokeFamily(family.get().id().toString(), "CLIENT_REVOKED");
        revoked(client.clientId(), "refresh_token", info);
      }
      return ok();
    }
    var access = tokens.active(token);
    if (access.isPresent() && client.clientId().equals(access.get().clientId())) {
      try {
        var claims = access.get().claims();
        String sid = claims.getStringClaimValue("sid");
        if (sid != null) {
          refreshTokens.revokeFamily(sid, "CLIENT_REVOKED");
        } else {
          tokens.revokeAlone(
              claims.getJwtId(),
              Instant.ofEpochMilli(claims.getExpirationTime().getValueInMillis()));
        }
        revoked(client.clientId(), "access_token", info);
      } catch (MalformedClaimException e) {
        // not a token of ours after all: nothing to revoke
      }
    }
    return ok();
  }

  private void revoked(String clientId, String type, ClientInfo info) {
    audit.record(
        AuditRecord.success(AuditEventType.TOKEN_REVOKED, clientId, info)
            .withDetail("token_type=" + type));
  }

  private static Response ok() {
    return Response.ok().header("Cache-Control", "no-store").build();
  }
}
