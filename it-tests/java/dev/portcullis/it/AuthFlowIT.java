package dev.portcullis.it;

import static dev.portcullis.it.Api.bearer;
import static dev.portcullis.it.Api.credentials;
import static dev.portcullis.it.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The JSON client's whole journey on the real WAR: login, me, refresh, reuse detection, logout, and
 * the status codes, headers and problem bodies of every refusal on the way (SPEC 3.1, 3.2).
 */
@ExtendWith(SharedServer.class)
class AuthFlowIT {

  private static final String PASSWORD = "Tr1cky-Passw0rd!";

  @Test
  void loginMeRefreshReuseLogout(Api api) {
    String name = unique("alice");
    api.createUser(name, PASSWORD, "user");

    var login = api.post("/api/v1/auth/login", credentials(name, PASSWORD));
    assertThat(login.status()).isEqualTo(200);
    assertThat(login.header("Cache-Control")).contains("no-store");
    var tokens = login.json();
    assertThat(tokens.getString("token_type")).isEqualTo("Bearer");
    assertThat(tokens.getInt("expires_in")).isBetween(890, 900);
    assertThat(tokens.getString("refresh_token")).hasSizeGreaterThanOrEqualTo(43);
    assertThat(tokens.getInt("refresh_expires_in")).isGreaterThan(0);
    assertThat(tokens.getString("scope")).isNotBlank();
    String access = tokens.getString("access_token");

    var me = api.get("/api/v1/me", "Authorization", bearer(access));
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().getString("username")).isEqualTo(name);
    assertThat(me.json().getString("auth_method")).isEqualTo("jwt");
    assertThat(me.json().getJsonArray("roles").getString(0)).isEqualTo("user");

    var refreshed =
        api.post(
            "/api/v1/auth/refresh",
            "{\"refresh_token\":\"" + tokens.getString("refresh_token") + "\"}");
    assertThat(refreshed.status()).isEqualTo(200);
    assertThat(refreshed.header("Cache-Control")).contains("no-store");
    String access2 = refreshed.json().getString("access_token");
    String refresh2 = refreshed.json().getString("refresh_token");
    assertThat(refresh2).isNotEqualTo(tokens.getString("refresh_token"));
    assertThat(api.get("/api/v1/me", "Authorization", bearer(access2)).status()).isEqualTo(200);

    var reuse =
        api.post(
            "/api/v1/auth/refresh",
            "{\"refresh_token\":\"" + tokens.getString("refresh_token") + "\"}");
    assertThat(reuse.status()).isEqualTo(401);
    assertThat(reuse.header("Content-Type")).startsWith("application/problem+json");
    assertThat(reuse.code()).isEqualTo("REFRESH_TOKEN_REUSED");
    // the whole family is revoked: the successor refresh token and its access token are dead
    assertThat(
            api.post("/api/v1/auth/refresh", "{\"refresh_token\":\"" + refresh2 + "\"}").status())
        .isEqualTo(401);
    var afterReuse = api.get("/api/v1/me", "Authorization", bearer(access2));
    assertThat(afterReuse.status()).isEqualTo(401);
    assertThat(afterReuse.header("WWW-Authenticate")).contains("error=\"invalid_token\"");

    var second = api.login(name, PASSWORD);
    String access3 = second.getString("access_token");
    var logout = api.post("/api/v1/auth/logout", null, "Authorization", bearer(access3));
    assertThat(logout.status()).isEqualTo(204);
    var afterLogout = api.get("/api/v1/me", "Authorization", bearer(access3));
    assertThat(afterLogout.status()).isEqualTo(401);
    assertThat(afterLogout.code()).isEqualTo("INVALID_TOKEN");
    assertThat(
            api.post(
                    "/api/v1/auth/refresh",
                    "{\"refresh_token\":\"" + second.getString("refresh_token") + "\"}")
                .status())
        .isEqualTo(401);
  }

  @Test
  void anonymousGets401WithBearerChallengeAndNonAdminGets403(Api api) {
    var anonymous = api.get("/api/v1/me");
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.header("WWW-Authenticate")).startsWith("Bearer");
    assertThat(anonymous.header("Content-Type")).startsWith("application/problem+json");

    var garbage = api.get("/api/v1/me", "Authorization", "Bearer not.a.token");
    assertThat(garbage.status()).isEqualTo(401);
    assertThat(garbage.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
    assertThat(garbage.code()).isEqualTo("INVALID_TOKEN");

    String name = unique("bob");
    api.createUser(name, PASSWORD, "user");
    String token = api.login(name, PASSWORD).getString("access_token");
    var forbidden = api.get("/api/v1/admin/users", "Authorization", bearer(token));
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.code()).isEqualTo("FORBIDDEN");
    assertThat(api.get("/api/v1/admin/users", "Authorization", bearer(api.adminToken())).status())
        .isEqualTo(200);
  }

  @Test
  void unknownUserWrongPasswordAndDisabledAccountLookTheSame(Api api) {
    String name = unique("carol");
    var user = api.createUser(name, PASSWORD, "user");
    var unknown = api.post("/api/v1/auth/login", credentials(unique("nobody"), PASSWORD));
    var wrong = api.post("/api/v1/auth/login", credentials(name, PASSWORD + "x"));
    api.post(
        "/api/v1/admin/users/" + user.getString("id") + "/disable",
        null,
        "Authorization",
        bearer(api.adminToken()));
    var disabled = api.post("/api/v1/auth/login", credentials(name, PASSWORD));
    for (var reply : List.of(unknown, wrong, disabled)) {
      assertThat(reply.status()).isEqualTo(401);
      assertThat(reply.code()).isEqualTo("INVALID_CREDENTIALS");
    }
    assertThat(unknown.body()).isEqualTo(wrong.body()).isEqualTo(disabled.body());
  }

  @Test
  void disablingAUserOrChangingTheirPasswordOrRolesTakesEffectAtOnce(Api api) {
    String name = unique("dave");
    var user = api.createUser(name, PASSWORD, "user", "admin");
    String id = user.getString("id");
    String admin = api.adminToken();

    String token = api.login(name, PASSWORD).getString("access_token");
    assertThat(api.get("/api/v1/admin/users", "Authorization", bearer(token)).status())
        .isEqualTo(200);
    assertThat(
            api.put(
                    "/api/v1/admin/users/" + id + "/roles",
                    "{\"roles\":[\"user\"]}",
                    "Authorization",
                    bearer(admin))
                .status())
        .isEqualTo(200);
    assertThat(api.get("/api/v1/admin/users", "Authorization", bearer(token)).status())
        .as("a removed role stops working before the token expires")
        .isEqualTo(403);

    var changed =
        api.post(
            "/api/v1/auth/password",
            "{\"username\":\""
                + name
                + "\",\"password\":\""
                + PASSWORD
                + "\",\"new_password\":\"An0ther-Secret!\"}");
    assertThat(changed.status()).isEqualTo(200);
    assertThat(api.get("/api/v1/me", "Authorization", bearer(token)).status())
        .as("tokens from before the password change")
        .isEqualTo(401);
    String fresh = changed.json().getString("access_token");
    assertThat(api.get("/api/v1/me", "Authorization", bearer(fresh)).status()).isEqualTo(200);

    assertThat(
            api.post("/api/v1/admin/users/" + id + "/disable", null, "Authorization", bearer(admin))
                .status())
        .isEqualTo(200);
    assertThat(api.get("/api/v1/me", "Authorization", bearer(fresh)).status()).isEqualTo(401);
    assertThat(
            api.post(
                    "/api/v1/auth/refresh",
                    "{\"refresh_token\":\"" + changed.json().getString("refresh_token") + "\"}")
                .status())
        .isEqualTo(401);
  }

  @Test
  void concurrentRefreshesOfOneTokenNeverBothSucceed(Api api) throws Exception {
    String name = unique("erin");
    api.createUser(name, PASSWORD, "user");
    for (int round = 0; round < 5; round++) {
      String refresh = api.login(name, PASSWORD).getString("refresh_token");
      var pool = Executors.newFixedThreadPool(4);
      try {
        var calls = new ArrayList<Callable<Api.Reply>>();
        for (int i = 0; i < 4; i++) {
          calls.add(
              () ->
                  new Api(api.server())
                      .post("/api/v1/auth/refresh", "{\"refresh_token\":\"" + refresh + "\"}"));
        }
        int successes = 0;
        for (Future<Api.Reply> result : pool.invokeAll(calls)) {
          var reply = result.get();
          assertThat(reply.status()).isIn(200, 401);
          successes += reply.status() == 200 ? 1 : 0;
        }
        assertThat(successes).isLessThanOrEqualTo(1);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void credentialsInTheUrlAreRefused(Api api) {
    String token = api.adminToken();
    var reply = api.get("/api/v1/me?access_token=" + token);
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.code()).isEqualTo("CREDENTIAL_IN_URL");
    assertThat(reply.body()).doesNotContain(token);
    assertThat(api.get("/api/v1/me?api_key=ptc_x", "Authorization", bearer(token)).status())
        .isEqualTo(400);
  }

  @Test
  void malformedBodiesGetClearErrors(Api api) {
    var notJson = api.post("/api/v1/auth/login", "{\"username\":");
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.code()).isEqualTo("VALIDATION_FAILED");
    var wrongType =
        api.send(
            HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/v1/auth/login"))
                .POST(HttpRequest.BodyPublishers.ofString("username=a")),
            "Content-Type",
            "application/x-www-form-urlencoded");
    assertThat(wrongType.status()).isEqualTo(415);
    assertThat(wrongType.header("Content-Type")).startsWith("application/problem+json");
    var huge =
        api.post(
            "/api/v1/auth/login",
            "{\"username\":\"" + "a".repeat(200_000) + "\",\"password\":\"x\"}");
    assertThat(huge.status()).isEqualTo(413);
    var missing = api.post("/api/v1/auth/login", "{\"username\":\"x\"}");
    assertThat(missing.status()).isEqualTo(400);
    var numbers = api.post("/api/v1/auth/login", "{\"username\":1,\"password\":2}");
    assertThat(numbers.status()).isEqualTo(400);
    var tooLong = api.post("/api/v1/auth/login", credentials("x", "p".repeat(1025)));
    assertThat(tooLong.status()).isEqualTo(400);
    var notFound = api.get("/api/v1/nothing-here");
    assertThat(notFound.status()).isEqualTo(404);
    assertThat(notFound.body()).doesNotContainIgnoringCase("payara");
    assertThat(notFound.headers().toString()).doesNotContainIgnoringCase("payara");
    assertThat(notFound.header("X-Powered-By")).isNull();
    var badPaging =
        api.get("/api/v1/admin/users?limit=lots", "Authorization", bearer(api.adminToken()));
    assertThat(badPaging.status()).isEqualTo(400);
  }

  @Test
  void longPasswordsAreAcceptedWhole(Api api) {
    String name = unique("frank");
    String longPassword = "Ω-".repeat(64) + "end";
    api.createUser(name, longPassword, "user");
    assertThat(api.post("/api/v1/auth/login", credentials(name, longPassword)).status())
        .isEqualTo(200);
    assertThat(
            api.post(
                    "/api/v1/auth/login",
                    credentials(name, longPassword.substring(0, longPassword.length() - 1)))
                .status())
        .as("nothing is truncated")
        .isEqualTo(401);
  }

  @Test
  void forwardAuthVerifyAnswersWithCallerHeaders(Api api) {
    var reply = api.get("/api/v1/auth/verify", "Authorization", bearer(api.adminToken()));
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("X-Auth-User")).isEqualTo("admin");
    assertThat(reply.header("X-Auth-Groups")).contains("admin");
    assertThat(reply.header("X-Auth-Subject")).isNotBlank();
    assertThat(api.get("/api/v1/auth/verify").status()).isEqualTo(401);
  }

  /**
   * Forward auth is a servlet of its own (issue 18); its answers stay the API's: problem+json with
   * a challenge for an anonymous or failed credential, HEAD like GET, other methods refused.
   */
  @Test
  void forwardAuthKeepsTheApisAnswers(Api api) {
    var anonymous = api.get("/api/v1/auth/verify");
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.header("Content-Type")).startsWith("application/problem+json");
    assertThat(anonymous.header("WWW-Authenticate")).startsWith("Bearer");
    assertThat(anonymous.header("Cache-Control")).isEqualTo("no-store");
    assertThat(anonymous.json().getString("code")).isEqualTo("UNAUTHORIZED");
    String token = api.adminToken();
    var tampered = api.get("/api/v1/auth/verify", "Authorization", bearer(token + "x"));
    assertThat(tampered.status()).isEqualTo(401);
    assertThat(tampered.header("X-Auth-User")).isNull();
    var head =
        api.send(
            HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/v1/auth/verify"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()),
            "Authorization",
            bearer(token));
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.header("X-Auth-User")).isEqualTo("admin");
    var post = api.post("/api/v1/auth/verify", "{}", "Authorization", bearer(token));
    assertThat(post.status()).isEqualTo(405);
    assertThat(post.header("X-Auth-User")).isNull();
  }

  @Test
  void healthEndpointsAnswer(Api api) {
    assertThat(api.get("/health/live").status()).isEqualTo(200);
    var ready = api.get("/health/ready");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().getString("status")).isEqualTo("UP");
    assertThat(ready.json().getJsonObject("checks").getString("database"))
        .as("our readiness check, not Payara's own /health")
        .isEqualTo("UP");
  }
}
