package dev.portcullis.oauth;

import dev.portcullis.oauth.client.ClientRegistry;
import dev.portcullis.oauth.wire.OAuthError;
import dev.portcullis.token.RefreshTokens;
import dev.portcullis.web.ClientInfo;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;

/**
 * {@code POST /oauth2/introspect} (RFC 7662): a confidential client (a resource server registered
 * as a client) asks whether a token is active. Access tokens of any client are answered with their
 * claims; a refresh token only to the client it was issued to. Everything else — unknown, expired,
 * revoked, malformed, another client's refresh token, a user who was disabled — is {@code
 * {"active":false}} and nothing more. Without client authentication: 401 {@code invalid_client}.
 */
@Path("introspect")
@RequestScoped
public class IntrospectionResource {

  @Inject ClientRegistry clients;
  @Inject IssuedTokens tokens;
  @Inject RefreshTokens refreshTokens;
  @Context HttpServletRequest request;

  @POST
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.APPLICATION_JSON)
  public Response introspect(MultivaluedMap<String, String> form) {
    FormParameters.requireSingle(form);
    var client =
        clients.authenticate(request.getHeader("Authorization"), form, ClientInfo.of(request));
    if (client.isPublic()) {
      throw OAuthError.invalidClient("Introspection is for confidential clients");
    }
    String token = form.getFirst("token");
    if (token == null) {
      throw OAuthError.invalidRequest("token is required");
    }
    var access = tokens.active(token);
    if (access.isPresent()) {
      return TokenResource.noStore(accessToken(access.get()).build().toString());
    }
    var family = refreshTokens.liveFamilyOf(token);
    if (family.isPresent() && client.clientId().equals(family.get().clientId())) {
      var body =
          Json.createObjectBuilder()
              .add("active", true)
              .add("token_type", "refresh_token")
              .add("client_id", family.get().clientId())
              .add("sub", family.get().userId().toString())
              .add("scope", family.get().grant().scope())
              .add("exp", family.get().expiresAt().getEpochSecond());
      return TokenResource.noStore(body.build().toString());
    }
    return TokenResource.noStore("{\"active\":false}");
  }

  private static JsonObjectBuilder accessToken(IssuedTokens.Active active) {
    JwtClaims claims = active.claims();
    try {
      var body =
          Json.createObjectBuilder()
              .add("active", true)
              .add("token_type", "Bearer")
              .add("client_id", active.clientId())
              .add("sub", claims.getSubject())
              .add("iss", claims.getIssuer())
              .add("exp", claims.getExpirationTime().getValue())
              .add("iat", claims.getIssuedAt().getValue())
              .add("jti", claims.getJwtId());
      var scope = claims.getStringClaimValue("scope");
      if (scope != null) {
        body.add("scope", scope);
      }
      if (claims.getNotBefore() != null) {
        body.add("nbf", claims.getNotBefore().getValue());
      }
      var audience = Json.createArrayBuilder();
      claims.getAudience().forEach(audience::add);
      body.add("aud", audience);
      if (active.user() != null) {
        body.add("username", active.user().username());
      }
      return body;
    } catch (MalformedClaimException e) {
      return Json.createObjectBuilder().add("active", false);
    }
  }
}
