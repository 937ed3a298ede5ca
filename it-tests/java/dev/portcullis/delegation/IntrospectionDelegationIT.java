package dev.portcullis.delegation;

import static dev.portcullis.delegation.OAuthClients.array;
import static dev.portcullis.delegation.OAuthClients.registration;
import static dev.portcullis.it.Api.bearer;
import static dev.portcullis.it.Api.formEncode;
import static dev.portcullis.it.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.delegation.OAuthClients.Client;
import dev.portcullis.it.Api;
import dev.portcullis.it.PortcullisServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 16: a resource server that checks bearer tokens with Portcullis' token introspection (RFC
 * 7662, SPEC 3.6), as a servlet on a second Payara Micro ({@code
 * dev.portcullis.delegation.app.introspection}) authenticating as its own confidential client. It
 * answers with what Portcullis said, so each test sees the introspection response itself.
 *
 * <p>Active tokens say so with {@code sub}, {@code client_id}, {@code scope} and {@code exp}; every
 * token that must not open the resource — revoked (RFC 7009), tampered to look expired, garbage, a
 * random opaque string, a refresh token presented as an access token — is exactly {@code
 * {"active":false}} (RFC 7662 2.2: no further information). Portcullis answers a refresh token that
 * the resource server presents as an access token ({@code token_type_hint=access_token}) with
 * {@code active: false}: it is not an access token, and a resource server that trusted an {@code
 * active: true} without reading {@code token_type} would accept it. Introspection without a client
 * authenticating is 401 {@code invalid_client} (RFC 6749 5.2).
 */
@ExtendWith(DelegationProvider.class)
class IntrospectionDelegationIT {

  @RegisterExtension
  static final AppServerExtension APP = new AppServerExtension("delegation-rs-app");

  private static final String PASSWORD = "Resource-Owner-Pass1";
  private static final String REDIRECT = "https://app.example/callback";
  private static final JsonObject INACTIVE =
      Json.createObjectBuilder().add("active", false).build();

  private static String resource;
  private static Client resourceServer;
  private static Client webApp;
  private static Client service;

  @BeforeAll
  static void start(Api api, PortcullisServer server) {
    resourceServer =
        OAuthClients.register(
            api,
            registration(unique("orders-rs"), "Orders resource server", "client_credentials")
                .add("token_endpoint_auth_method", "client_secret_basic")
                .add("scopes", array()));
    webApp =
        OAuthClients.register(
            api,
            registration(
                    unique("orders-web"), "Orders web app", "authorization_code", "refresh_token")
                .add("redirect_uris", array(REDIRECT))
                .add("token_endpoint_auth_method", "client_secret_basic")
                .add("scopes", array("openid", "profile"))
                .add("consent", "implicit"));
    service =
        OAuthClients.register(
            api,
            registration(unique("orders-batch"), "Orders batch job", "client_credentials")
                .add("token_endpoint_auth_method", "client_secret_basic")
                .add("scopes", array())
                .add("roles", array("service")));
    int port = AppServer.freePort();
    APP.start(
        port,
        Map.of(
            "rs.introspection-endpoint", server.baseUrl() + "/oauth2/introspect",
            "rs.client-id", resourceServer.id(),
            "rs.client-secret", resourceServer.secret()),
        TestApps.introspection(APP.dir()));
    resource = APP.server().baseUrl() + "/rs/resource";
  }

  @Test
  void aUsersAccessTokenIsActiveWithItsSubjectClientScopeAndExpiry(Api api) {
    String name = unique("owner");
    String userId = api.createUser(name, PASSWORD, "user").getString("id");
    var tokens =
        OAuthClients.authorizationCode(api, webApp, REDIRECT, "openid profile", name, PASSWORD);

    var reply = callResource(api, tokens.getString("access_token"));
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    var answer = reply.json();
    assertThat(answer.getBoolean("active")).isTrue();
    assertThat(answer.getString("sub")).isEqualTo(userId);
    assertThat(answer.getString("client_id")).isEqualTo(webApp.id());
    assertThat(List.of(answer.getString("scope").split(" "))).contains("openid", "profile");
    long exp = answer.getJsonNumber("exp").longValueExact();
    assertThat(exp).isGreaterThan(Instant.now().getEpochSecond());
    assertThat(exp).isLessThanOrEqualTo(Instant.now().plusSeconds(24 * 3600).getEpochSecond());
  }

  @Test
  void aServiceTokenIsActiveWithTheClientAsSubject(Api api) {
    String token = OAuthClients.clientCredentials(api, service).getString("access_token");

    var reply = callResource(api, token);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    var answer = reply.json();
    assertThat(answer.getBoolean("active")).isTrue();
    assertThat(answer.getString("sub")).isEqualTo(service.id());
    assertThat(answer.getString("client_id")).isEqualTo(service.id());
    assertThat(answer.getJsonNumber("exp").longValueExact())
        .isGreaterThan(Instant.now().getEpochSecond());
  }

  @Test
  void aRevokedTokenIsInactive(Api api) {
    String token = OAuthClients.clientCredentials(api, service).getString("access_token");
    assertThat(callResource(api, token).status()).isEqualTo(200);

    var revoked =
        OAuthClients.postForm(
            api,
            "/oauth2/revoke",
            "token=" + formEncode(token) + "&token_type_hint=access_token",
            "Authorization",
            service.basic());
    assertThat(revoked.status()).as("RFC 7009 2.2").isEqualTo(200);

    assertInactive(api, token);
  }

  @Test
  void aTokenTamperedToLookExpiredIsInactive(Api api) {
    String token = OAuthClients.clientCredentials(api, service).getString("access_token");
    String[] parts = token.split("\\.");
    var claims = Json.createObjectBuilder(decode(parts[1]));
    long past = Instant.now().minusSeconds(3600).getEpochSecond();
    claims.add("exp", past).add("iat", past - 900).add("nbf", past - 900);
    String expired =
        parts[0]
            + "."
            + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(claims.build().toString().getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[2];

    assertInactive(api, expired);
  }

  @Test
  void garbageAndRandomOpaqueStringsAreInactive(Api api) {
    for (String token :
        List.of(
            "garbage",
            "a.b.c",
            "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
            OAuthClients.random(32),
            OAuthClients.random(48))) {
      assertInactive(api, token);
    }
  }

  @Test
  void aRefreshTokenPresentedAsAnAccessTokenIsInactive(Api api) {
    String name = unique("refresher");
    api.createUser(name, PASSWORD, "user");
    var tokens =
        OAuthClients.authorizationCode(api, webApp, REDIRECT, "openid profile", name, PASSWORD);
    assertThat(tokens.getString("refresh_token", null))
        .as("a client registered for refresh_token gets one (SPEC 3.6)")
        .isNotBlank();

    assertInactive(api, tokens.getString("refresh_token"));
    assertInactive(api, api.login(name, PASSWORD).getString("refresh_token"));
  }

  @Test
  void introspectionNeedsAnAuthenticatedClient(Api api) {
    String token = OAuthClients.clientCredentials(api, service).getString("access_token");
    String form = "token=" + formEncode(token);
    String name = unique("prober");
    api.createUser(name, PASSWORD, "user");
    String userToken = api.login(name, PASSWORD).getString("access_token");
    var wrongSecret = new Client(resourceServer.id(), "not-the-secret");

    assertInvalidClient(OAuthClients.postForm(api, "/oauth2/introspect", form), "no credentials");
    assertInvalidClient(
        OAuthClients.postForm(
            api, "/oauth2/introspect", form + "&client_id=" + formEncode(resourceServer.id())),
        "a client_id without its secret");
    var basic =
        OAuthClients.postForm(
            api, "/oauth2/introspect", form, "Authorization", wrongSecret.basic());
    assertInvalidClient(basic, "a wrong secret");
    assertThat(basic.header("WWW-Authenticate"))
        .as("RFC 6749 5.2: the scheme the client tried")
        .startsWithIgnoringCase("Basic");
    assertInvalidClient(
        OAuthClients.postForm(
            api,
            "/oauth2/introspect",
            form
                + "&client_id="
                + formEncode(resourceServer.id())
                + "&client_secret=not-the-secret"),
        "a wrong secret in the form");
    assertInvalidClient(
        OAuthClients.postForm(api, "/oauth2/introspect", form, "Authorization", bearer(userToken)),
        "a user's access token is no client credential");
  }

  private static Api.Reply callResource(Api api, String token) {
    return OAuthClients.getAt(api, resource, "Authorization", bearer(token));
  }

  /** The resource server refuses {@code token} because Portcullis said exactly {"active":false}. */
  private static void assertInactive(Api api, String token) {
    var reply = callResource(api, token);
    assertThat(reply.status())
        .as("the resource server refuses it: %s", reply.body())
        .isEqualTo(401);
    assertThat(reply.json()).as("RFC 7662 2.2: nothing but active false").isEqualTo(INACTIVE);
  }

  private static void assertInvalidClient(Api.Reply reply, String attempt) {
    assertThat(reply.status()).as(attempt + ": " + reply.body()).isEqualTo(401);
    assertThat(reply.header("Content-Type")).as(attempt).startsWith("application/json");
    assertThat(reply.json().getString("error", null)).as(attempt).isEqualTo("invalid_client");
    assertThat(reply.json().containsKey("active"))
        .as(attempt + ": nothing about the token")
        .isFalse();
  }

  private static JsonObject decode(String part) {
    byte[] json = Base64.getUrlDecoder().decode(part);
    try (var reader =
        Json.createReader(new StringReader(new String(json, StandardCharsets.UTF_8)))) {
      return reader.readObject();
    }
  }
}
