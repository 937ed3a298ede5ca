package dev.portcullis.it;

import static dev.portcullis.it.Api.bearer;
import static dev.portcullis.it.Api.unique;
import static dev.portcullis.it.OAuthFlows.CALLBACK;
import static dev.portcullis.it.OAuthFlows.codeRequest;
import static dev.portcullis.it.OAuthFlows.redirectParameters;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The OAuth provider's defences (SECURITY.md "OAuth provider", RFC 9700): authorization codes
 * single-use and bound to client, redirect URI and PKCE verifier; a replayed code revokes what it
 * issued; PKCE downgrades refused; redirect URIs matched exactly and never used when invalid;
 * {@code state} and {@code iss} (RFC 9207) on every response; {@code prompt=none} never shows a
 * page; repeated parameters refused.
 */
@ExtendWith(SharedServer.class)
class OAuthSecurityIT {

  private static final String PASSWORD = "OAuth-Guard-Pass1";

  private static String signedIn(Api api) {
    String name = unique("oauth-guard");
    api.createUser(name, PASSWORD, "user");
    return api.formLogin(name, PASSWORD, "/account");
  }

  @Test
  void aCodeIsRedeemedOnceAndItsReplayRevokesWhatItIssued(Api api) throws Exception {
    var flows = new OAuthFlows(api);
    var client = flows.confidential();
    String cookie = signedIn(api);
    var pkce = OAuthFlows.Pkce.create();
    String code = flows.code(cookie, codeRequest(client, pkce, "s", "n"));
    var first = flows.redeem(client, code, pkce);
    assertThat(first.status()).as(first.body()).isEqualTo(200);
    String access = first.json().getString("access_token");
    assertThat(flows.introspect(client, access).getBoolean("active")).isTrue();

    var replay = flows.redeem(client, code, pkce);
    assertThat(replay.status()).isEqualTo(400);
    assertThat(replay.json().getString("error")).isEqualTo("invalid_grant");
    assertThat(flows.introspect(client, access).getBoolean("active"))
        .as("the replay revoked the access token the code issued")
        .isFalse();
    var refresh =
        flows.token(
            Map.of(
                "grant_type",
                "refresh_token",
                "refresh_token",
                first.json().getString("refresh_token")),
            "Authorization",
            client.basic());
    assertThat(refresh.status()).as("and its refresh token").isEqualTo(400);
    var audit =
        api.get(
            "/api/v1/admin/audit?type=AUTHORIZATION_CODE_REUSED",
            "Authorization",
            bearer(api.adminToken()));
    assertThat(audit.body()).contains("AUTHORIZATION_CODE_REUSED");
    assertThat(audit.body()).doesNotContain(code);
  }

  @Test
  void aCodeGrantsNothingOnceItsSessionHasEnded(Api api) {
    var flows = new OAuthFlows(api);
    var client = flows.confidential();
    String name = unique("oauth-ended");
    api.createUser(name, PASSWORD, "user");
    String cookie = api.formLogin(name, PASSWORD, "/account");
    var pkce = OAuthFlows.Pkce.create();
    String code = flows.code(cookie, codeRequest(client, pkce, "s", "n"));
    String token = api.login(name, PASSWORD).getString("access_token");
    var ended =
        api.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(
                        api.baseUrl() + "/api/v1/sessions/" + api.currentSessionId(cookie)))
                .DELETE(),
            "Authorization",
            bearer(token));
    assertThat(ended.status()).as(ended.body()).isEqualTo(204);
    var redeemed = flows.redeem(client, code, pkce);
    assertThat(redeemed.status()).isEqualTo(400);
    assertThat(redeemed.json().getString("error")).isEqualTo("invalid_grant");
  }

  @Test
  void concurrentRedemptionsYieldOneSuccess(Api api) throws Exception {
    var flows = new OAuthFlows(api);
    var client = flows.confidential();
    String cookie = signedIn(api);
    var pkce = OAuthFlows.Pkce.create();
    String code = flows.code(cookie, codeRequest(client, pkce, "s", "n"));
    var pool = Executors.newFixedThreadPool(4);
    try {
      var tasks = new ArrayList<Callable<Integer>>();
      for (int i = 0; i < 4; i++) {
        tasks.add(() -> flows.redeem(client, code, pkce).status());
      }
      var statuses = new ArrayList<Integer>();
      for (var result : pool.invokeAll(tasks)) {
        statuses.add(result.get());
      }
      assertThat(statuses).containsOnly(200, 400);
      assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aCodeIsBoundToItsClientRedirectUriAndVerifier(Api api) {
    var flows = new OAuthFlows(api);
    var client = flows.confidential();
    var thief = flows.confidential();
    String cookie = signedIn(api);
    var pkce = OAuthFlows.Pkce.create();
    String code = flows.code(cookie, codeRequest(client, pkce, "s", "n"));

    assertThat(flows.redeem(thief, code, pkce).json().getString("error"))
        .isEqualTo("invalid_grant");
    var wrongRedirect = new LinkedHashMap<String, String>();
    wrongRedirect.put("grant_type", "authorization_code");
    wrongRedirect.put("code", code);
    wrongRedirect.put("redirect_uri", CALLBACK + "/other");
    wrongRedirect.put("code_verifier", pkce.verifier());
    assertThat(
            flows.token(wrongRedirect, "Authorization", client.basic()).json().getString("error"))
        .isEqualTo("invalid_grant");
    assertThat(flows.redeem(client, code, OAuthFlows.Pkce.create()).json().getString("error"))
        .as("another verifier")
        .isEqualTo("invalid_grant");
    assertThat(flows.redeem(client, code, null).json().getString("error"))
        .as("no verifier")
        .isEqualTo("invalid_grant");
    assertThat(flows.redeem(client, code, pkce).status())
        .as("failed attempts did not burn the legitimate client's code")
        .isEqualTo(200);
  }

  @Test
  void pkceIsRequiredAndCannotBeDowngraded(Api api) {
    var flows = new OAuthFlows(api);
    String cookie = signedIn(api);
    var publicClient =
        flows.register(
            OAuthFlows.registration(
                "none",
                "[\"authorization_code\",\"refresh_token\"]",
                "[\"openid\",\"profile\",\"email\",\"groups\"]"));
    assertThat(publicClient.secret()).isNull();
    var noPkce =
        redirectParameters(flows.authorize(cookie, codeRequest(publicClient, null, "s1", "n")));
    assertThat(noPkce.get("error")).isEqualTo("invalid_request");
    assertThat(noPkce.get("state")).isEqualTo("s1");
    assertThat(noPkce.get("iss")).isEqualTo(api.server().issuer());

    var plain = codeRequest(publicClient, OAuthFlows.Pkce.create(), "s2", "n");
    plain.put("code_challenge_method", "plain");
    assertThat(redirectParameters(flows.authorize(cookie, plain)).get("error"))
        .isEqualTo("invalid_request");
    var noMethod = codeRequest(publicClient, OAuthFlows.Pkce.create(), "s3", "n");
    noMethod.remove("code_challenge_method");
    assertThat(redirectParameters(flows.authorize(cookie, noMethod)).get("error"))
        .isEqualTo("invalid_request");

    // a public client redeems with its client_id and the verifier only
    var pkce = OAuthFlows.Pkce.create();
    String code = flows.code(cookie, codeRequest(publicClient, pkce, "s4", "n"));
    var redeem = new LinkedHashMap<String, String>();
    redeem.put("grant_type", "authorization_code");
    redeem.put("code", code);
    redeem.put("redirect_uri", CALLBACK);
    redeem.put("client_id", publicClient.id());
    redeem.put("code_verifier", pkce.verifier());
    var tokens = flows.token(redeem);
    assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
    // its refresh tokens rotate, and a reused one revokes the grant, as for confidential clients
    String publicRefresh = tokens.json().getString("refresh_token");
    var rotated =
        flows.token(
            Map.of(
                "grant_type",
                "refresh_token",
                "refresh_token",
                publicRefresh,
                "client_id",
                publicClient.id()));
    assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
    assertThat(rotated.json().getString("refresh_token")).isNotEqualTo(publicRefresh);
    var reused =
        flows.token(
            Map.of(
                "grant_type",
                "refresh_token",
                "refresh_token",
                publicRefresh,
                "client_id",
                publicClient.id()));
    assertThat(reused.json().getString("error")).isEqualTo("invalid_grant");
    assertThat(
            flows
                .token(
                    Map.of(
                        "grant_type", "refresh_token",
                        "refresh_token", rotated.json().getString("refresh_token"),
                        "client_id", publicClient.id()))
                .status())
        .as("the reuse revoked the successor too")
        .isEqualTo(400);

    // an admin-exempted confidential client (Jakarta Security's OpenID client sends no PKCE) must
    // send a nonce, and may not send a verifier the code was not bound to
    var exempt =
        flows.register(
            OAuthFlows.registration(
                "client_secret_post",
                "[\"authorization_code\"]",
                "[\"openid\",\"profile\",\"email\",\"groups\"]",
                "\"require_pkce\":false"));
    assertThat(
            redirectParameters(flows.authorize(cookie, codeRequest(exempt, null, "s5", null)))
                .get("error"))
        .isEqualTo("invalid_request");
    String exemptCode = flows.code(cookie, codeRequest(exempt, null, "s6", "nonce-6"));
    var withVerifier = new LinkedHashMap<String, String>();
    withVerifier.put("grant_type", "authorization_code");
    withVerifier.put("code", exemptCode);
    withVerifier.put("redirect_uri", CALLBACK);
    withVerifier.put("client_id", exempt.id());
    withVerifier.put("client_secret", exempt.secret());
    withVerifier.put("code_verifier", OAuthFlows.Pkce.create().verifier());
    assertThat(flows.token(withVerifier).json().getString("error")).isEqualTo("invalid_grant");
    withVerifier.remove("code_verifier");
    assertThat(flows.token(withVerifier).status()).isEqualTo(200);
  }

  @Test
  void anInvalidClientOrRedirectUriNeverRedirects(Api api) {
    var flows = new OAuthFlows(api);
    var client = flows.confidential();
    String cookie = signedIn(api);
    var pkce = OAuthFlows.Pkce.create();
    List<String> hostile =
        List.of(
            "https://evil.example/callback",
            CALLBACK + "/",
            CALLBACK + "?x=1",
            CALLBACK + "#frag",
            "https://app.example/callback/../evil",
            "https://app.example.evil.example/callback",
            "https://APP.example/callback",
            "https://user@app.example/callback",
            "https://app.example:443/callback",
            "https://app.example/%63allback");
    for (String redirect : hostile) {
      var params = codeRequest(client, pkce, "s", "n");
      params.put("redirect_uri", redirect);
      var reply = flows.authorize(cookie, params);
      assertThat(reply.status()).as(redirect).isEqualTo(400);
      assertThat(reply.header("Location")).as(redirect).isNull();
    }
    var unknown = codeRequest(new OAuthFlows.Client("no-such-client", null, null), pkce, "s", "n");
    assertThat(flows.authorize(cookie, unknown).status()).isEqualTo(400);
    var missing = codeRequest(client, pkce, "s", "n");
    missing.remove("redirect_uri");
    assertThat(flows.authorize(cookie, missing).status())
        .as("OpenID requires redirect_uri")
        .isEqualTo(400);
    var repeated = flows.authorize(cookie, codeRequest(client, pkce, "s", "n"));
    assertThat(repeated.status()).isEqualTo(303);
    var twice =
        api.get(
            "/oauth2/authorize?response_type=code&client_id="
                + client.id()
                + "&redirect_uri="
                + Api.formEncode(CALLBACK)
                + "&redirect_uri="
                + Api.formEncode("https://evil.example/"),
            "Cookie",
            "__Host-portcullis=" + cookie);
    assertThat(twice.status()).isEqualTo(400);
    assertThat(twice.header("Location")).isNull();
  }

  @Test
  void loopbackRedirectsOnAnyPortAreForPublicClientsOnly(Api api) {
    var flows = new OAuthFlows(api);
    String cookie = signedIn(api);
    String loopback = "\"redirect_uris\":[\"http://127.0.0.1/callback\"]";
    var publicClient =
        flows.register(
            "{\"name\":\"cli\",\"grant_types\":[\"authorization_code\"],"
                + "\"token_endpoint_auth_method\":\"none\",\"scopes\":[\"openid\"],"
                + loopback
                + "}");
    var params = codeRequest(publicClient, OAuthFlows.Pkce.create(), "s", "n");
    params.put("redirect_uri", "http://127.0.0.1:53682/callback");
    params.put("scope", "openid");
    var reply = flows.authorize(cookie, params);
    assertThat(reply.status()).as(reply.body()).isEqualTo(303);
    assertThat(reply.header("Location")).startsWith("http://127.0.0.1:53682/callback?code=");
    params.put("redirect_uri", "http://127.0.0.1:53682/other");
    assertThat(flows.authorize(cookie, params).status()).isEqualTo(400);

    var confidential =
        flows.register(
            "{\"name\":\"web\",\"grant_types\":[\"authorization_code\"],"
                + "\"token_endpoint_auth_method\":\"client_secret_basic\",\"scopes\":[\"openid\"],"
                + loopback
                + "}");
    var other = codeRequest(confidential, OAuthFlows.Pkce.create(), "s", "n");
    other.put("redirect_uri", "http://127.0.0.1:53682/callback");
    other.put("scope", "openid");
    assertThat(flows.authorize(cookie, other).status()).isEqualTo(400);
  }

  @Test
  void withoutASessionTheUserSignsInFirstAndPromptNoneNeverShowsAPage(Api api) {
    var flows = new OAuthFlows(api);
    var client = flows.confidential();
    var pkce = OAuthFlows.Pkce.create();
    var params = codeRequest(client, pkce, "state-1", "n");
    var toLogin = flows.authorize(null, params);
    assertThat(toLogin.status()).isEqualTo(303);
    assertThat(toLogin.header("Location")).contains("/login?next=%2Foauth2%2Fauthorize%3F");

    params.put("login_hint", "hinted.user");
    var hinted = flows.authorize(null, params);
    String loginPage = hinted.header("Location");
    assertThat(loginPage).endsWith("&login_hint=hinted.user");
    var page = api.get(loginPage.substring(loginPage.indexOf("/login")));
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).containsPattern("name=\"login:username\"[^>]*value=\"hinted.user\"");
    params.remove("login_hint");

    params.put("prompt", "none");
    var none = redirectParameters(flows.authorize(null, params));
    assertThat(none.get("error")).isEqualTo("login_required");
    assertThat(none.get("state")).isEqualTo("state-1");

    var consenting = flows.confidential("\"consent\":\"required\"");
    String cookie = signedIn(api);
    var consent = codeRequest(consenting, pkce, "state-2", "n");
    consent.put("prompt", "none");
    assertThat(redirectParameters(flows.authorize(cookie, consent)).get("error"))
        .isEqualTo("consent_required");
    consent.remove("prompt");
    var consentPage = flows.authorize(cookie, consent);
    assertThat(consentPage.status()).isEqualTo(303);
    assertThat(consentPage.header("Location"))
        .contains("/consent?continue=%2Foauth2%2Fauthorize%3F");

    var forceLogin = codeRequest(client, pkce, "s", "n");
    forceLogin.put("prompt", "login");
    var login = flows.authorize(cookie, forceLogin);
    assertThat(login.header("Location")).contains("/login?next=");
    assertThat(login.header("Location")).doesNotContain("prompt");
  }

  @Test
  void malformedRequestsGetTheRfcErrorsNeverA500(Api api) {
    var flows = new OAuthFlows(api);
    var client = flows.confidential();
    String cookie = signedIn(api);
    var pkce = OAuthFlows.Pkce.create();
    var implicit = codeRequest(client, pkce, "s", "n");
    implicit.put("response_type", "token");
    assertThat(redirectParameters(flows.authorize(cookie, implicit)).get("error"))
        .isEqualTo("unsupported_response_type");
    var scope = codeRequest(client, pkce, "s", "n");
    scope.put("scope", "openid admin");
    assertThat(redirectParameters(flows.authorize(cookie, scope)).get("error"))
        .isEqualTo("invalid_scope");

    assertThat(flows.token(Map.of("grant_type", "authorization_code")).status()).isEqualTo(401);
    var noCode =
        flows.token(Map.of("grant_type", "authorization_code"), "Authorization", client.basic());
    assertThat(noCode.status()).isEqualTo(400);
    assertThat(noCode.json().getString("error")).isEqualTo("invalid_request");
    var json =
        api.post(
            "/oauth2/token",
            "{\"grant_type\":\"client_credentials\"}",
            "Authorization",
            client.basic());
    assertThat(json.status()).isBetween(400, 499);
    var garbage = flows.redeem(client, "not-a-code", pkce);
    assertThat(garbage.json().getString("error")).isEqualTo("invalid_grant");
    var unknownBasic =
        flows.token(
            Map.of("grant_type", "client_credentials"),
            "Authorization",
            new OAuthFlows.Client("nobody", "nothing", null).basic());
    assertThat(unknownBasic.status()).isEqualTo(401);
    assertThat(unknownBasic.json().getString("error")).isEqualTo("invalid_client");
    var wrongSecret =
        flows.token(
            Map.of("grant_type", "client_credentials"),
            "Authorization",
            new OAuthFlows.Client(client.id(), "not-the-secret", null).basic());
    assertThat(wrongSecret.status()).isEqualTo(401);
    var audit =
        api.get(
            "/api/v1/admin/audit?type=CLIENT_AUTH_FAILED&limit=200",
            "Authorization",
            bearer(api.adminToken()));
    assertThat(audit.body())
        .contains("BAD_SECRET")
        .contains(client.id())
        .doesNotContain("not-the-secret");
  }
}
