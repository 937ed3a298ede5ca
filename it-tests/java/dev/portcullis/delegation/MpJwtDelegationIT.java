package dev.portcullis.delegation;

import static dev.portcullis.delegation.OAuthClients.array;
import static dev.portcullis.delegation.OAuthClients.registration;
import static dev.portcullis.it.Api.bearer;
import static dev.portcullis.it.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.delegation.OAuthClients.Client;
import dev.portcullis.it.Api;
import dev.portcullis.it.PortcullisServer;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 16: a Jakarta REST API protected by MicroProfile JWT (Payara's, on a second Payara Micro)
 * accepts the access tokens Portcullis issues to a client registered with {@code
 * "access_token_profile": "mp-jwt"} — with its stock configuration, no {@code
 * disable.type.verification} — and refuses every other token (SPEC 3.4, 3.6).
 *
 * <p>The API ({@code dev.portcullis.delegation.app.mpjwt}) trusts Portcullis' JWKS and issuer and
 * accepts the audiences of three clients: {@code mp-jwt} clients with and without the role {@code
 * service}, and a client of the default {@code rfc9068} profile — so that the refusal of the last
 * one's token is the profile's doing ({@code typ: at+jwt}, the server's algorithm), not its
 * audience's. A fourth {@code mp-jwt} client, not among the audiences, shows the audience check.
 */
@ExtendWith(DelegationProvider.class)
class MpJwtDelegationIT {

  @RegisterExtension
  static final AppServerExtension APP = new AppServerExtension("delegation-mpjwt-app");

  private static String issuer;
  private static String whoAmI;
  private static Client service;
  private static Client withoutRole;
  private static Client rfc9068;
  private static Client elsewhere;

  @BeforeAll
  static void start(Api api, PortcullisServer server) {
    issuer = server.issuer();
    service = register(api, "orders-api", "mp-jwt", "service");
    withoutRole = register(api, "orders-reader", "mp-jwt");
    rfc9068 = register(api, "orders-rfc9068", "rfc9068", "service");
    elsewhere = register(api, "billing-api", "mp-jwt", "service");
    int port = AppServer.freePort();
    APP.start(
        port,
        Map.of(
            "mp.jwt.verify.publickey.location",
            server.baseUrl() + "/.well-known/jwks.json",
            "mp.jwt.verify.issuer",
            issuer,
            "mp.jwt.verify.audiences",
            String.join(",", service.id(), withoutRole.id(), rfc9068.id())),
        TestApps.mpJwt(APP.dir()));
    whoAmI = APP.server().baseUrl() + "/mpjwt/api/whoami";
  }

  /** A confidential client-credentials client with {@code profile} and {@code roles}. */
  private static Client register(Api api, String name, String profile, String... roles) {
    return OAuthClients.register(
        api,
        registration(unique(name), name, "client_credentials")
            .add("token_endpoint_auth_method", "client_secret_basic")
            .add("scopes", array())
            .add("access_token_profile", profile)
            .add("roles", array(roles)));
  }

  @Test
  void acceptsAServiceTokenOfTheMpJwtProfile(Api api) {
    String token = OAuthClients.clientCredentials(api, service).getString("access_token");

    var header = OAuthClients.header(token);
    assertThat(header)
        .as("what MP-JWT verifiers accept (SPEC 3.6 mp-jwt profile)")
        .containsEntry("typ", "JWT")
        .containsEntry("alg", "RS256")
        .containsKey("kid");
    var claims = OAuthClients.claims(token);
    assertThat(claims)
        .containsEntry("iss", issuer)
        .containsEntry("sub", service.id())
        .containsEntry("upn", service.id())
        .containsEntry("client_id", service.id())
        .containsEntry("groups", List.of("service"));
    assertThat(audience(claims)).containsExactly(service.id());
    assertThat(((Number) claims.get("exp")).longValue())
        .isGreaterThan(Instant.now().getEpochSecond());

    var reply = OAuthClients.getAt(api, whoAmI, "Authorization", bearer(token));
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    JsonObject me = reply.json();
    assertThat(me.getString("name")).as("the caller is the client").isEqualTo(service.id());
    assertThat(me.getString("subject")).isEqualTo(service.id());
    assertThat(me.getJsonArray("groups").getValuesAs(JsonString::getString))
        .containsExactly("service");
    assertThat(me.getBoolean("service")).as("the group is the container's role").isTrue();
  }

  @Test
  void refusesAServiceWithoutTheRole(Api api) {
    String token = OAuthClients.clientCredentials(api, withoutRole).getString("access_token");
    assertThat(OAuthClients.header(token)).containsEntry("typ", "JWT");

    var reply = OAuthClients.getAt(api, whoAmI, "Authorization", bearer(token));
    assertThat(reply.status()).as("authenticated, but not in role service").isEqualTo(403);
  }

  @Test
  void refusesATokenOfTheRfc9068Profile(Api api) {
    String token = OAuthClients.clientCredentials(api, rfc9068).getString("access_token");
    assertThat(OAuthClients.header(token)).containsEntry("typ", "at+jwt");
    assertThat(audience(OAuthClients.claims(token)))
        .as("an audience the API accepts: only the profile stands in the way")
        .containsExactly(rfc9068.id());

    assertThat(OAuthClients.getAt(api, whoAmI, "Authorization", bearer(token)).status())
        .isEqualTo(401);
  }

  @Test
  void refusesATokenIssuedForAnotherAudience(Api api) {
    String token = OAuthClients.clientCredentials(api, elsewhere).getString("access_token");
    assertThat(OAuthClients.header(token))
        .containsEntry("typ", "JWT")
        .containsEntry("alg", "RS256");
    assertThat(audience(OAuthClients.claims(token))).containsExactly(elsewhere.id());

    assertThat(OAuthClients.getAt(api, whoAmI, "Authorization", bearer(token)).status())
        .isEqualTo(401);
  }

  @Test
  void refusesACallWithoutAToken(Api api) {
    assertThat(OAuthClients.getAt(api, whoAmI).status()).isEqualTo(401);
    assertThat(OAuthClients.getAt(api, whoAmI, "Authorization", "Bearer ").status()).isEqualTo(401);
  }

  @Test
  void portcullisRefusesTheMpJwtTokenMeantForTheApi(Api api) {
    String token = OAuthClients.clientCredentials(api, service).getString("access_token");

    var me = api.get("/api/v1/me", "Authorization", bearer(token));
    assertThat(me.status()).as("a token for another audience").isEqualTo(401);
    assertThat(me.header("WWW-Authenticate")).startsWith("Bearer").contains("invalid_token");
    assertThat(me.header("Content-Type")).startsWith("application/problem+json");
    assertThat(me.code()).isEqualTo("INVALID_TOKEN");
  }

  /** The {@code aud} of {@code claims}: a string or an array (RFC 7519 4.1.3). */
  private static List<String> audience(Map<String, Object> claims) {
    Object aud = claims.get("aud");
    if (aud instanceof String single) {
      return List.of(single);
    }
    return ((List<?>) aud).stream().map(Object::toString).toList();
  }
}
