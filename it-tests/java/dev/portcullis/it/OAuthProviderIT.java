package dev.portcullis.it;

import static dev.portcullis.it.Api.bearer;
import static dev.portcullis.it.Api.unique;
import static dev.portcullis.it.OAuthFlows.CALLBACK;
import static dev.portcullis.it.OAuthFlows.codeRequest;
import static dev.portcullis.it.OAuthFlows.redirectParameters;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The OAuth 2.0 authorization server and OpenID provider end to end over HTTP (SPEC 3.6):
 * discovery, the code flow with PKCE, ID tokens checked with an independent library (Nimbus),
 * userinfo, refresh rotation, introspection, revocation, client credentials in both token profiles,
 * and RP-initiated logout.
 */
@ExtendWith(SharedServer.class)
class OAuthProviderIT {

  private static final String PASSWORD = "OAuth-User-Pass1";

  private record SignedIn(String userId, String username, String cookie) {}

  private static SignedIn signIn(Api api) {
    String name = unique("oauth-user");
    var user = api.createUser(name, PASSWORD, "user");
    String cookie = api.formLogin(name, PASSWORD, "/account");
    assertThat(cookie).isNotNull();
    return new SignedIn(user.getString("id"), name, cookie);
  }

  @Test
  void discoveryDescribesTheProviderFromTheConfiguredIssuer(Api api) {
    for (String path :
        new String[] {
          "/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"
        }) {
      var reply = api.get(path);
      assertThat(reply.status()).as(path).isEqualTo(200);
      var doc = reply.json();
      String issuer = api.server().issuer();
      assertThat(doc.getString("issuer")).isEqualTo(issuer);
      assertThat(doc.getString("authorization_endpoint")).isEqualTo(issuer + "/oauth2/authorize");
      assertThat(doc.getString("token_endpoint")).isEqualTo(issuer + "/oauth2/token");
      assertThat(doc.getString("jwks_uri")).startsWith(issuer + "/");
      assertThat(doc.getBoolean("authorization_response_iss_parameter_supported")).isTrue();
      assertThat(doc.getJsonArray("code_challenge_methods_supported").toString())
          .isEqualTo("[\"S256\"]");
      assertThat(doc.getJsonArray("response_types_supported").toString()).isEqualTo("[\"code\"]");
      assertThat(doc.getJsonArray("id_token_signing_alg_values_supported").toString())
          .contains("RS256");
    }
    assertThat(api.get("/oauth2/jwks").body()).isEqualTo(api.get("/.well-known/jwks.json").body());
  }

  @Test
  void codeFlowIssuesVerifiableTokensAndUserinfo(Api api) throws Exception {
    var flows = new OAuthFlows(api);
    var client = flows.confidential();
    var user = signIn(api);
    var pkce = OAuthFlows.Pkce.create();
    String state = "st/ä?&=" + unique("s");
    var authorization =
        flows.authorize(user.cookie(), codeRequest(client, pkce, state, "n-0S6_WzA2Mj"));
    var response = redirectParameters(authorization);
    assertThat(authorization.header("Location")).startsWith(CALLBACK + "?");
    assertThat(response.get("state")).isEqualTo(state);
    assertThat(response.get("iss")).isEqualTo(api.server().issuer());

    var tokens = flows.redeem(client, response.get("code"), pkce);
    assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
    assertThat(tokens.header("Cache-Control")).contains("no-store");
    var body = tokens.json();
    assertThat(body.getString("token_type")).isEqualTo("Bearer");
    assertThat(body.getString("scope")).isEqualTo("openid profile email groups");
    String accessToken = body.getString("access_token");

    var jwks = JWKSet.parse(api.get("/oauth2/jwks").body());
    var idToken = SignedJWT.parse(body.getString("id_token"));
    assertThat(idToken.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
    assertThat(idToken.getHeader().getType())
        .as("no typ: never taken for an MP-JWT token")
        .isNull();
    var key = (RSAKey) jwks.getKeyByKeyId(idToken.getHeader().getKeyID());
    assertThat(idToken.verify(new RSASSAVerifier(key))).isTrue();
    var claims = idToken.getJWTClaimsSet();
    assertThat(claims.getIssuer()).isEqualTo(api.server().issuer());
    assertThat(claims.getAudience()).containsExactly(client.id());
    assertThat(claims.getSubject()).isEqualTo(user.userId());
    assertThat(claims.getStringClaim("nonce")).isEqualTo("n-0S6_WzA2Mj");
    assertThat(claims.getStringClaim("preferred_username")).isEqualTo(user.username());
    assertThat(claims.getStringListClaim("groups")).containsExactly("user");
    assertThat(claims.getStringListClaim("amr")).containsExactly("pwd");
    assertThat(claims.getClaim("auth_time")).isNotNull();
    assertThat(claims.getStringClaim("sid")).isEqualTo(api.currentSessionId(user.cookie()));
    byte[] digest =
        MessageDigest.getInstance("SHA-256")
            .digest(accessToken.getBytes(StandardCharsets.US_ASCII));
    assertThat(claims.getStringClaim("at_hash"))
        .isEqualTo(
            Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(Arrays.copyOf(digest, digest.length / 2)));

    var access = SignedJWT.parse(accessToken);
    assertThat(access.getHeader().getType().toString()).isEqualTo("at+jwt");
    assertThat(access.getJWTClaimsSet().getAudience()).containsExactly(client.id());
    assertThat(access.getJWTClaimsSet().getStringClaim("client_id")).isEqualTo(client.id());

    var userinfo = api.get("/oauth2/userinfo", "Authorization", bearer(accessToken));
    assertThat(userinfo.status()).as(userinfo.body()).isEqualTo(200);
    assertThat(userinfo.json().getString("sub")).isEqualTo(user.userId());
    assertThat(userinfo.json().getString("preferred_username")).isEqualTo(user.username());
    assertThat(api.get("/oauth2/userinfo").status()).isEqualTo(401);
    assertThat(api.get("/oauth2/userinfo", "Authorization", bearer("not.a.token")).status())
        .isEqualTo(401);

    assertThat(api.get("/api/v1/me", "Authorization", bearer(accessToken)).status())
        .as("a client's token is not for Portcullis' own API")
        .isEqualTo(401);
    assertThat(flows.introspect(client, accessToken).getBoolean("active")).isTrue();
  }

  @Test
  void refreshTokensRotateAndReuseRevokesTheGrant(Api api) {
    var flows = new OAuthFlows(api);
    var client = flows.confidential();
    var user = signIn(api);
    var pkce = OAuthFlows.Pkce.create();
    var first =
        flows
            .redeem(client, flows.code(user.cookie(), codeRequest(client, pkce, "s", "n")), pkce)
            .json();
    String refresh = first.getString("refresh_token");

    var rotated =
        flows.token(
            Map.of("grant_type", "refresh_token", "refresh_token", refresh),
            "Authorization",
            client.basic());
    assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
    assertThat(rotated.json().getString("refresh_token")).isNotEqualTo(refresh);
    String newAccess = rotated.json().getString("access_token");

    var other = flows.confidential();
    assertThat(
            flows
                .token(
                    Map.of(
                        "grant_type",
                        "refresh_token",
                        "refresh_token",
                        rotated.json().getString("refresh_token")),
                    "Authorization",
                    other.basic())
                .json()
                .getString("error"))
        .as("a refresh token is bound to its client")
        .isEqualTo("invalid_grant");

    var reused =
        flows.token(
            Map.of("grant_type", "refresh_token", "refresh_token", refresh),
            "Authorization",
            client.basic());
    assertThat(reused.status()).isEqualTo(400);
    assertThat(reused.json().getString("error")).isEqualTo("invalid_grant");
    assertThat(flows.introspect(client, newAccess).getBoolean("active"))
        .as("reuse revokes the whole grant")
        .isFalse();
    assertThat(
            flows
                .token(
                    Map.of(
                        "grant_type",
                        "refresh_token",
                        "refresh_token",
                        rotated.json().getString("refresh_token")),
                    "Authorization",
                    client.basic())
                .status())
        .isEqualTo(400);
  }

  @Test
  void clientCredentialsInBothProfiles(Api api) throws Exception {
    var flows = new OAuthFlows(api);
    var service =
        flows.register(
            "{\"name\":\"reports service\",\"grant_types\":[\"client_credentials\"],"
                + "\"token_endpoint_auth_method\":\"client_secret_basic\","
                + "\"scopes\":[\"reports.read\"],\"access_token_profile\":\"mp-jwt\","
                + "\"roles\":[\"user\"]}");
    var reply =
        flows.token(Map.of("grant_type", "client_credentials"), "Authorization", service.basic());
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    assertThat(reply.json().containsKey("refresh_token")).isFalse();
    assertThat(reply.json().containsKey("id_token")).isFalse();
    var token = SignedJWT.parse(reply.json().getString("access_token"));
    assertThat(token.getHeader().getType().toString()).isEqualTo("JWT");
    assertThat(token.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
    var claims = token.getJWTClaimsSet();
    assertThat(claims.getSubject()).isEqualTo(service.id());
    assertThat(claims.getStringClaim("upn")).isEqualTo(service.id());
    assertThat(claims.getStringListClaim("groups")).containsExactly("user");
    assertThat(claims.getAudience()).containsExactly(service.id());
    assertThat(api.get("/api/v1/me", "Authorization", bearer(token.serialize())).status())
        .as("an mp-jwt token for another audience is refused by Portcullis' own verifier")
        .isEqualTo(401);

    var unregistered =
        flows.token(
            Map.of("grant_type", "authorization_code", "code", "x", "redirect_uri", CALLBACK),
            "Authorization",
            service.basic());
    assertThat(unregistered.json().getString("error")).isEqualTo("unauthorized_client");
    var codeClient = flows.confidential();
    assertThat(
            flows
                .token(
                    Map.of("grant_type", "client_credentials"), "Authorization", codeClient.basic())
                .json()
                .getString("error"))
        .isEqualTo("unauthorized_client");
    assertThat(
            flows
                .token(
                    Map.of("grant_type", "password", "username", "a", "password", "b"),
                    "Authorization",
                    codeClient.basic())
                .json()
                .getString("error"))
        .isEqualTo("unsupported_grant_type");

    // revocation of a token without a family: by itself, until it expires
    assertThat(flows.introspect(service, token.serialize()).getBoolean("active")).isTrue();
    var revoke =
        flows.form(
            "/oauth2/revoke", Map.of("token", token.serialize()), "Authorization", service.basic());
    assertThat(revoke.status()).isEqualTo(200);
    assertThat(flows.introspect(service, token.serialize()).getBoolean("active")).isFalse();
  }

  @Test
  void introspectionAndRevocationNeedTheClientAndTellNothingOfOthersTokens(Api api) {
    var flows = new OAuthFlows(api);
    var client = flows.confidential();
    var user = signIn(api);
    var pkce = OAuthFlows.Pkce.create();
    var tokens =
        flows
            .redeem(client, flows.code(user.cookie(), codeRequest(client, pkce, "s", "n")), pkce)
            .json();
    String access = tokens.getString("access_token");
    String refresh = tokens.getString("refresh_token");

    var anonymous = flows.form("/oauth2/introspect", Map.of("token", access));
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.json().getString("error")).isEqualTo("invalid_client");
    assertThat(anonymous.header("WWW-Authenticate")).startsWith("Basic");
    var wrongSecret =
        flows.form(
            "/oauth2/introspect",
            Map.of("token", access),
            "Authorization",
            new OAuthFlows.Client(client.id(), "wrong-secret", null).basic());
    assertThat(wrongSecret.status()).isEqualTo(401);

    for (String inactive :
        new String[] {
          "garbage", unique("opaque") + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", access + "x"
        }) {
      assertThat(flows.introspect(client, inactive).toString()).isEqualTo("{\"active\":false}");
    }
    var other = flows.confidential();
    assertThat(flows.introspect(other, refresh).getBoolean("active"))
        .as("another client's refresh token")
        .isFalse();
    assertThat(flows.introspect(client, refresh).getBoolean("active")).isTrue();

    // another client cannot revoke it (answered 200 all the same)
    assertThat(
            flows
                .form("/oauth2/revoke", Map.of("token", refresh), "Authorization", other.basic())
                .status())
        .isEqualTo(200);
    assertThat(flows.introspect(client, access).getBoolean("active")).isTrue();

    assertThat(
            flows
                .form("/oauth2/revoke", Map.of("token", refresh), "Authorization", client.basic())
                .status())
        .isEqualTo(200);
    assertThat(flows.introspect(client, access).getBoolean("active"))
        .as("revoking the refresh token ends the grant's access tokens")
        .isFalse();
    assertThat(api.get("/oauth2/userinfo", "Authorization", bearer(access)).status())
        .isEqualTo(401);
  }

  @Test
  void logoutWithIdTokenHintEndsTheSessionAndRedirectsOnlyToARegisteredUri(Api api) {
    var flows = new OAuthFlows(api);
    var client = flows.confidential();
    var user = signIn(api);
    var pkce = OAuthFlows.Pkce.create();
    String idToken =
        flows
            .redeem(client, flows.code(user.cookie(), codeRequest(client, pkce, "s", "n")), pkce)
            .json()
            .getString("id_token");

    var open =
        api.get(
            "/oauth2/logout?id_token_hint="
                + idToken
                + "&post_logout_redirect_uri="
                + Api.formEncode("https://evil.example/"),
            "Cookie",
            "__Host-portcullis=" + user.cookie());
    assertThat(open.status()).isEqualTo(400);
    assertThat(open.header("Location")).isNull();
    assertThat(api.get("/api/v1/me", "Cookie", "__Host-portcullis=" + user.cookie()).status())
        .isEqualTo(200);

    var noHint =
        api.get(
            "/oauth2/logout?client_id=" + client.id(),
            "Cookie",
            "__Host-portcullis=" + user.cookie());
    assertThat(noHint.status()).as("without a hint the user is asked first").isEqualTo(200);
    assertThat(noHint.body()).contains("confirm-logout");
    assertThat(api.get("/api/v1/me", "Cookie", "__Host-portcullis=" + user.cookie()).status())
        .isEqualTo(200);

    var logout =
        api.get(
            "/oauth2/logout?id_token_hint="
                + idToken
                + "&post_logout_redirect_uri="
                + Api.formEncode("https://app.example/signed-out")
                + "&state=bye",
            "Cookie",
            "__Host-portcullis=" + user.cookie());
    assertThat(logout.status()).isEqualTo(303);
    assertThat(logout.header("Location")).isEqualTo("https://app.example/signed-out?state=bye");
    assertThat(api.get("/api/v1/me", "Cookie", "__Host-portcullis=" + user.cookie()).status())
        .isEqualTo(401);

    String forged = idToken.substring(0, idToken.length() - 2) + "AA";
    var refused = api.get("/oauth2/logout?id_token_hint=" + forged);
    assertThat(refused.status()).as("a tampered hint").isEqualTo(400);
    assertThat(refused.header("Location")).isNull();
  }
}
