package dev.portcullis.it;

import static dev.portcullis.it.Api.bearer;
import static dev.portcullis.it.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * API keys on the real server (SPEC 3.3): created once and shown once, used through both headers,
 * listed without secrets, rotated with a grace period, revoked within a second, expired, scoped,
 * bound to an audience, and never more powerful than their owner.
 */
@ExtendWith(SharedServer.class)
class ApiKeyIT {

  private static final String PASSWORD = "Key-Owner-Pass1";

  private record Owner(String id, String name, String token) {}

  private static Owner owner(Api api, String... roles) {
    String name = unique("keyowner");
    var user = api.createUser(name, PASSWORD, roles);
    return new Owner(
        user.getString("id"), name, api.login(name, PASSWORD).getString("access_token"));
  }

  private static JsonObject create(Api api, Owner owner, String body) {
    var reply = api.post("/api/v1/keys", body, "Authorization", bearer(owner.token()));
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    assertThat(reply.header("Cache-Control")).contains("no-store");
    return reply.json();
  }

  private static int me(Api api, String key) {
    return api.get("/api/v1/me", "X-API-Key", key).status();
  }

  @Test
  void createUseListRotateRevoke(Api api) throws Exception {
    var owner = owner(api, "user");
    var created = create(api, owner, "{\"name\":\"ci deploy\",\"scopes\":[\"user\"]}");
    String key = created.getString("key");
    String id = created.getString("id");
    assertThat(key).matches("ptc_[a-z2-7]{16}_[0-9A-Za-z]{49}").startsWith("ptc_" + id + "_");

    var me = api.get("/api/v1/me", "X-API-Key", key);
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().getString("auth_method")).isEqualTo("api_key");
    assertThat(me.json().getString("key_id")).isEqualTo(id);
    assertThat(me.json().getString("username")).isEqualTo(owner.name());
    assertThat(api.get("/api/v1/me", "Authorization", "ApiKey " + key).status()).isEqualTo(200);

    var list = api.get("/api/v1/keys", "Authorization", bearer(owner.token()));
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.body())
        .contains(id)
        .doesNotContain(key)
        .doesNotContain(key.substring(key.length() - 49));
    assertThat(list.json().getJsonArray("items").getJsonObject(0).containsKey("key")).isFalse();

    var rotated =
        api.post(
            "/api/v1/keys/" + id + "/rotate",
            "{\"grace_seconds\":3}",
            "Authorization",
            bearer(owner.token()));
    assertThat(rotated.status()).isEqualTo(200);
    String newKey = rotated.json().getString("key");
    assertThat(newKey).isNotEqualTo(key).startsWith("ptc_" + id + "_");
    assertThat(me(api, newKey)).isEqualTo(200);
    assertThat(me(api, key)).as("old secret during the grace period").isEqualTo(200);
    Thread.sleep(3_500);
    assertThat(me(api, key)).as("old secret after the grace period").isEqualTo(401);
    assertThat(me(api, newKey)).isEqualTo(200);

    var noGrace =
        api.post(
            "/api/v1/keys/" + id + "/rotate",
            "{\"grace_seconds\":0}",
            "Authorization",
            bearer(owner.token()));
    String third = noGrace.json().getString("key");
    assertThat(me(api, newKey)).as("grace 0 ends the old secret at once").isEqualTo(401);
    assertThat(me(api, third)).isEqualTo(200);

    var revoke =
        api.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(api.baseUrl() + "/api/v1/keys/" + id))
                .DELETE(),
            "Authorization",
            bearer(owner.token()));
    assertThat(revoke.status()).isEqualTo(204);
    long revokedAt = System.nanoTime();
    int status;
    do {
      status = me(api, third);
    } while (status == 200 && System.nanoTime() - revokedAt < 1_000_000_000L);
    assertThat(status).as("revoked within one second").isEqualTo(401);
    var refused = api.get("/api/v1/me", "X-API-Key", third);
    assertThat(refused.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
    assertThat(refused.code()).isEqualTo("INVALID_API_KEY");
    assertThat(refused.body()).doesNotContain(third);
  }

  @Test
  void expiredKeysAreRefused(Api api) throws Exception {
    var owner = owner(api, "user");
    Instant soon = Instant.now().plusSeconds(3);
    String key =
        create(
                api,
                owner,
                "{\"name\":\"short\",\"scopes\":[\"user\"],\"expires_at\":\"" + soon + "\"}")
            .getString("key");
    assertThat(me(api, key)).isEqualTo(200);
    Thread.sleep(Math.max(0, soon.toEpochMilli() - System.currentTimeMillis()) + 500);
    assertThat(me(api, key)).isEqualTo(401);
    assertThat(
            api.post(
                    "/api/v1/keys",
                    "{\"name\":\"past\",\"scopes\":[\"user\"],"
                        + "\"expires_at\":\"2001-01-01T00:00:00Z\"}",
                    "Authorization",
                    bearer(owner.token()))
                .status())
        .isEqualTo(400);
  }

  @Test
  void scopesLimitTheKeyAndNeverExceedTheOwner(Api api) {
    var owner = owner(api, "user", "admin");
    String userOnly =
        create(api, owner, "{\"name\":\"narrow\",\"scopes\":[\"user\"]}").getString("key");
    String adminKey =
        create(api, owner, "{\"name\":\"wide\",\"scopes\":[\"admin\",\"user\"]}").getString("key");
    var forbidden = api.get("/api/v1/admin/users", "X-API-Key", userOnly);
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.code()).isEqualTo("FORBIDDEN");
    assertThat(api.get("/api/v1/admin/users", "X-API-Key", adminKey).status()).isEqualTo(200);

    var plainUser = owner(api, "user");
    var escalate =
        api.post(
            "/api/v1/keys",
            "{\"name\":\"x\",\"scopes\":[\"admin\"]}",
            "Authorization",
            bearer(plainUser.token()));
    assertThat(escalate.status()).isEqualTo(403);
    assertThat(escalate.code()).isEqualTo("INSUFFICIENT_SCOPE");

    String admin = api.adminToken();
    assertThat(
            api.put(
                    "/api/v1/admin/users/" + owner.id() + "/roles",
                    "{\"roles\":[\"user\"]}",
                    "Authorization",
                    bearer(admin))
                .status())
        .isEqualTo(200);
    assertThat(api.get("/api/v1/admin/users", "X-API-Key", adminKey).status())
        .as("removing the owner's role removes it from the key at once")
        .isEqualTo(403);
    assertThat(me(api, adminKey)).isEqualTo(200);

    assertThat(
            api.post(
                    "/api/v1/keys",
                    "{\"name\":\"self\",\"scopes\":[\"user\"]}",
                    "X-API-Key",
                    userOnly)
                .status())
        .as("a key cannot mint keys")
        .isEqualTo(403);
  }

  @Test
  void otherUsersKeysAreInvisible(Api api) {
    var alice = owner(api, "user");
    var mallory = owner(api, "user");
    String id = create(api, alice, "{\"name\":\"mine\",\"scopes\":[\"user\"]}").getString("id");
    assertThat(
            api.post(
                    "/api/v1/keys/" + id + "/rotate",
                    null,
                    "Authorization",
                    bearer(mallory.token()))
                .status())
        .isEqualTo(404);
    var delete =
        api.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(api.baseUrl() + "/api/v1/keys/" + id))
                .DELETE(),
            "Authorization",
            bearer(mallory.token()));
    assertThat(delete.status()).isEqualTo(404);
    assertThat(api.get("/api/v1/keys", "Authorization", bearer(mallory.token())).body())
        .doesNotContain(id);
    assertThat(
            api.get(
                    "/api/v1/admin/users/" + alice.id() + "/keys",
                    "Authorization",
                    bearer(api.adminToken()))
                .body())
        .contains(id);
  }

  @Test
  void refusedInTheUrlWithTwoCredentialsAndForADisabledOwner(Api api) {
    var owner = owner(api, "user");
    String key = create(api, owner, "{\"name\":\"k\",\"scopes\":[\"user\"]}").getString("key");
    var inUrl = api.get("/api/v1/me?api_key=" + key);
    assertThat(inUrl.status()).isEqualTo(400);
    assertThat(inUrl.body()).doesNotContain(key);
    var two = api.get("/api/v1/me", "X-API-Key", key, "Authorization", bearer(owner.token()));
    assertThat(two.status()).isEqualTo(400);
    assertThat(two.code()).isEqualTo("AMBIGUOUS_CREDENTIALS");
    assertThat(api.get("/api/v1/me", "X-API-Key", key, "X-API-Key", key).status()).isEqualTo(400);
    assertThat(api.get("/api/v1/me", "X-API-Key", "ptc_aaaaaaaaaaaaaaaa_garbage").status())
        .isEqualTo(401);

    assertThat(
            api.post(
                    "/api/v1/admin/users/" + owner.id() + "/disable",
                    null,
                    "Authorization",
                    bearer(api.adminToken()))
                .status())
        .isEqualTo(200);
    assertThat(me(api, key)).isEqualTo(401);
  }

  @Test
  void audienceBoundKeysWorkOnlyForTheirService(Api api) {
    var owner = owner(api, "user");
    String key =
        create(
                api,
                owner,
                "{\"name\":\"billing\",\"scopes\":[\"user\"],\"audience\":\"billing-service\"}")
            .getString("key");
    assertThat(me(api, key)).as("not for Portcullis itself").isEqualTo(401);
    assertThat(api.get("/api/v1/me", "X-API-Key", key, "X-Audience", "billing-service").status())
        .as("nor when the client names the audience itself")
        .isEqualTo(401);
    assertThat(api.get("/api/v1/auth/verify", "X-API-Key", key, "X-Audience", "reports").status())
        .isEqualTo(401);
    // This server trusts no proxy, so the header is the client's own and counts for nothing; the
    // audience a trusted proxy names on forward-auth is tested by ForwardAuthIT.
    assertThat(
            api.get("/api/v1/auth/verify", "X-API-Key", key, "X-Audience", "billing-service")
                .status())
        .isEqualTo(401);
  }

  @Test
  void lastUseIsRecordedInBatches(Api api) throws Exception {
    var owner = owner(api, "user");
    var created = create(api, owner, "{\"name\":\"used\",\"scopes\":[\"user\"]}");
    assertThat(created.isNull("last_used_at")).isTrue();
    assertThat(me(api, created.getString("key"))).isEqualTo(200);
    boolean recorded = false;
    for (int i = 0; i < 30 && !recorded; i++) {
      Thread.sleep(1_000);
      var item =
          api.get("/api/v1/keys", "Authorization", bearer(owner.token()))
              .json()
              .getJsonArray("items")
              .getJsonObject(0);
      recorded = !item.isNull("last_used_at");
    }
    assertThat(recorded).isTrue();
  }
}
