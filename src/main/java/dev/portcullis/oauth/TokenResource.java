package dev.portcullis.oauth;

import dev.portcullis.audit.AuditEventType;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.oauth.client.ClientRegistry;
import dev.portcullis.oauth.client.RegisteredClient;
import dev.portcullis.oauth.wire.OAuthError;
import dev.portcullis.problem.ErrorCode;
import dev.portcullis.problem.ProblemException;
import dev.portcullis.ratelimit.RateLimits;
import dev.portcullis.token.ClientGrant;
import dev.portcullis.token.RefreshTokens;
import dev.portcullis.user.UserSnapshot;
import dev.portcullis.user.UserSnapshots;
import dev.portcullis.web.ClientInfo;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * {@code POST /oauth2/token} (RFC 6749 3.2, 4.1.3, 4.4, 6; RFC 7636 4.5; OpenID Connect Core
 * 3.1.3): the {@code authorization_code}, {@code refresh_token} and {@code client_credentials}
 * grants, for authenticated clients only ({@link ClientRegistry#authenticate}). Errors are RFC 6749
 * 5.2 JSON; every grant, granted or refused, is audited {@code TOKEN_GRANT}.
 *
 * <p>Refresh tokens go to clients registered for the {@code refresh_token} grant (SPEC 3.6: no
 * {@code offline_access} needed), are bound to the client, and rotate with reuse detection like
 * first-party ones. A refresh may narrow the scope, never widen it. {@code resource} (RFC 8707) is
 * refused with {@code invalid_target}: an access token's audience is always its client, never
 * another service's and never Portcullis' own.
 */
@Path("token")
@RequestScoped
public class TokenResource {

  @Inject ClientRegistry clients;
  @Inject AuthorizationCodes codes;
  @Inject RefreshTokens refreshTokens;
  @Inject ClientTokens tokens;
  @Inject UserSnapshots users;
  @Inject dev.portcullis.session.SessionService sessions;
  @Inject dev.portcullis.oauth.consent.Consents consents;
  @Inject RateLimits rateLimits;
  @Inject AuditLog audit;
  @Inject Clock clock;
  @Context HttpServletRequest request;

  @POST
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.APPLICATION_JSON)
  public Response token(MultivaluedMap<String, String> form) {
    var info = ClientInfo.of(request);
    FormParameters.requireSingle(form);
    var client = clients.authenticate(request.getHeader("Authorization"), form, info);
    String grantType = form.getFirst("grant_type");
    try {
      if (grantType == null) {
        throw OAuthError.invalidRequest("grant_type is required");
      }
      if (!Set.of(
              RegisteredClient.AUTHORIZATION_CODE,
              RegisteredClient.REFRESH_TOKEN,
              RegisteredClient.CLIENT_CREDENTIALS)
          .contains(grantType)) {
        throw new OAuthError("unsupported_grant_type", "The grant type is not supported", 400);
      }
      if (!client.allowsGrant(grantType)) {
        throw OAuthError.unauthorizedClient("The client is not registered for this grant type");
      }
      if (form.containsKey("resource")) {
        throw new OAuthError(
            "invalid_target",
            "Resource indicators are not supported; the audience is the client",
            400);
      }
      var response =
          switch (grantType) {
            case RegisteredClient.AUTHORIZATION_CODE -> authorizationCode(client, form, info);
            case RegisteredClient.REFRESH_TOKEN -> refresh(client, form, info);
            default -> clientCredentials(client, form);
          };
      audit.record(
          AuditRecord.success(AuditEventType.TOKEN_GRANT, client.clientId(), info)
              .withDetail("grant_type=" + grantType));
      return response;
    } catch (OAuthError e) {
      audit.record(
          AuditRecord.failure(AuditEventType.TOKEN_GRANT, e.error(), client.clientId(), info)
              .withDetail("grant_type=" + (grantType == null ? "" : grantType)));
      throw e;
    }
  }

  private Response authorizationCode(
      RegisteredClient client, MultivaluedMap<String, String> form, ClientInfo info) {
    String code = form.getFirst("code");
    if (code == null) {
      throw OAuthError.invalidRequest("code is required");
    }
    var redemption =
        codes.redeem(
            code,
            client,
            form.getFirst("redirect_uri"),
            form.getFirst("code_verifier"),
            this::stillGranted,
            info);
    if (redemption instanceof AuthorizationCodes.Redemption.Refused refused) {
      throw OAuthError.invalidGrant(refused.description());
    }
    var granted = (AuthorizationCodes.Redemption.Granted) redemption;
    var grant = granted.family().grant();
    var user = activeUser(granted.family());
    var scopes = Scopes.stored(grant.scope());
    return respond(client, user, scopes, granted.family(), granted.code().nonce(), grant);
  }

  /**
   * Whether what {@code code} was issued on still holds when it is redeemed: a revocation that
   * committed in between (the user disabled, the browser session ended by logout or a password
   * change, the app's consent revoked) wins, and the code grants nothing.
   */
  private boolean stillGranted(AuthorizationCode code) {
    return users.get(code.userId()).filter(UserSnapshot::isActive).isPresent()
        && sessions
            .find(code.loginSessionId())
            .filter(s -> s.revokedAt() == null && clock.instant().isBefore(s.absoluteExpiresAt()))
            .isPresent()
        && consents.covers(code.userId(), code.clientId(), Scopes.stored(code.scope()));
  }

  private Response refresh(
      RegisteredClient client, MultivaluedMap<String, String> form, ClientInfo info) {
    String value = form.getFirst("refresh_token");
    if (value == null) {
      throw OAuthError.invalidRequest("refresh_token is required");
    }
    RefreshTokens.Issued rotated;
    try {
      rateLimits.attempt(info);
      var permit = rateLimits.refreshAttempt(value);
      rotated =
          refreshTokens.rotate(
              value, info, client.clientId(), client.refreshTokenTtl().orElse(null));
      permit.succeeded();
    } catch (ProblemException e) {
      if (e.code() == ErrorCode.RATE_LIMITED) {
        throw OAuthError.rateLimited(e.retryAfterSeconds());
      }
      if (e.code() == ErrorCode.SERVICE_UNAVAILABLE) {
        throw e;
      }
      throw OAuthError.invalidGrant(
          e.code() == ErrorCode.REFRESH_TOKEN_REUSED
              ? "The refresh token was already used; every token of this grant is revoked"
              : "The refresh token is not valid");
    }
    var grant = rotated.grant();
    var granted = Scopes.stored(grant.scope());
    var scopes = granted;
    if (form.getFirst("scope") != null) {
      scopes = Scopes.parse(form.getFirst("scope"));
      if (scopes == null || scopes.isEmpty() || !granted.containsAll(scopes)) {
        throw OAuthError.invalidScope("A refresh may narrow the granted scope, never widen it");
      }
    }
    var user = activeUser(rotated);
    return respond(client, user, scopes, rotated, null, grant);
  }

  private Response clientCredentials(RegisteredClient client, MultivaluedMap<String, String> form) {
    if (client.isPublic()) {
      throw OAuthError.unauthorizedClient("A public client cannot use client credentials");
    }
    var allowed = new LinkedHashSet<>(client.scopes());
    allowed.removeAll(Scopes.STANDARD);
    Set<String> scopes = allowed;
    if (form.getFirst("scope") != null) {
      scopes = Scopes.parse(form.getFirst("scope"));
      if (scopes == null || scopes.isEmpty() || !allowed.containsAll(scopes)) {
        throw OAuthError.invalidScope(
            "A requested scope is not registered for the client (OpenID scopes need a user)");
      }
    }
    var access = tokens.forClient(client, scopes);
    var body = tokenBody(access, scopes);
    return noStore(body.build().toString());
  }

  private UserSnapshot activeUser(RefreshTokens.Issued family) {
    var user = users.get(family.userId()).filter(UserSnapshot::isActive);
    if (user.isEmpty()) {
      refreshTokens.revokeFamily(family.familyId(), "USER_DISABLED");
      throw OAuthError.invalidGrant("The grant is no longer valid");
    }
    return user.get();
  }

  private Response respond(
      RegisteredClient client,
      UserSnapshot user,
      Set<String> scopes,
      RefreshTokens.Issued family,
      String nonce,
      ClientGrant grant) {
    var access = tokens.forUser(client, user, scopes, family.familyId());
    var body = tokenBody(access, scopes);
    if (client.allowsGrant(RegisteredClient.REFRESH_TOKEN)) {
      body.add("refresh_token", family.value());
      body.add("refresh_expires_in", seconds(family.expiresAt()));
    }
    if (scopes.contains(Scopes.OPENID)) {
      body.add("id_token", tokens.idToken(client, user, scopes, nonce, grant, access.value()));
    }
    return noStore(body.build().toString());
  }

  private jakarta.json.JsonObjectBuilder tokenBody(ClientTokens.Issued access, Set<String> scopes) {
    return Json.createObjectBuilder()
        .add("access_token", access.value())
        .add("token_type", "Bearer")
        .add("expires_in", seconds(access.expiresAt()))
        .add("scope", Scopes.format(scopes));
  }

  private long seconds(Instant until) {
    return Math.max(0, Duration.between(clock.instant(), until).toSeconds());
  }

  static Response noStore(String json) {
    return Response.ok(json, MediaType.APPLICATION_JSON_TYPE)
        .header("Cache-Control", "no-store")
        .header("Pragma", "no-cache")
        .build();
  }
}
