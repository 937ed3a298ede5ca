package dev.portcullis.it;

import static dev.portcullis.it.Api.bearer;
import static dev.portcullis.it.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The admin API over a user's links to upstream accounts ({@code /api/v1/admin/users/{id}/links},
 * SPEC 3.7) on the real server, for what does not need an upstream provider: who may call it —
 * anonymous 401 with the challenge, a {@code user} token 403 (its own id included), an admin-scoped
 * API key may list but never unlink — and its answers for a user without links (200, an empty list)
 * and for unknown or malformed ids (404 problem+json, never 500). Linking itself is the upstream
 * flow tests'.
 */
@ExtendWith(SharedServer.class)
class UpstreamLinkAdminIT {

  private static final String PASSWORD = "Upstream-Links-Pass1";

  private static String links(String userId) {
    return "/api/v1/admin/users/" + userId + "/links";
  }

  private static Api.Reply delete(Api api, String path, String... headers) {
    return api.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).DELETE(), headers);
  }

  @Test
  void aUserWithoutLinksHasAnEmptyList(Api api) {
    String admin = bearer(api.adminToken());
    String userId = api.createUser(unique("nolinks"), PASSWORD, "user").getString("id");

    var reply = api.get(links(userId), "Authorization", admin);

    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    assertThat(reply.header("Content-Type")).startsWith("application/json");
    assertThat(reply.json().getJsonArray("links")).isEmpty();
    assertThat(reply.json().keySet()).containsExactly("links");
  }

  @Test
  void unknownAndMalformedIdsAreNotFound(Api api) {
    String admin = bearer(api.adminToken());
    String userId = api.createUser(unique("linkless"), PASSWORD, "user").getString("id");
    String nobody = UUID.randomUUID().toString();
    for (var reply :
        List.of(
            api.get(links(nobody), "Authorization", admin),
            api.get(links("not-a-uuid"), "Authorization", admin),
            delete(api, links(nobody) + "/" + UUID.randomUUID(), "Authorization", admin),
            delete(api, links("not-a-uuid") + "/" + UUID.randomUUID(), "Authorization", admin),
            delete(api, links(userId) + "/" + UUID.randomUUID(), "Authorization", admin),
            delete(api, links(userId) + "/not-a-uuid", "Authorization", admin))) {
      assertThat(reply.status()).as(reply.body()).isEqualTo(404);
      assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
      assertThat(reply.code()).isEqualTo("NOT_FOUND");
    }
  }

  @Test
  void weakerCredentialsAreRefused(Api api) {
    String admin = bearer(api.adminToken());
    String userName = unique("links-user");
    String userId = api.createUser(userName, PASSWORD, "user").getString("id");
    String one = links(userId) + "/" + UUID.randomUUID();

    // anonymous: 401 with the challenge
    for (var reply : List.of(api.get(links(userId)), delete(api, one))) {
      assertThat(reply.status()).as(reply.body()).isEqualTo(401);
      assertThat(reply.header("WWW-Authenticate")).startsWith("Bearer");
    }

    // a user token, even for its own links: 403
    String user = bearer(api.login(userName, PASSWORD).getString("access_token"));
    for (var reply :
        List.of(
            api.get(links(userId), "Authorization", user),
            delete(api, one, "Authorization", user))) {
      assertThat(reply.status()).as(reply.body()).isEqualTo(403);
      assertThat(reply.code()).isEqualTo("FORBIDDEN");
    }

    // an admin-scoped API key: lists, never unlinks
    var keyReply =
        api.post(
            "/api/v1/keys",
            "{\"name\":\"" + unique("links-key") + "\",\"scopes\":[\"admin\",\"user\"]}",
            "Authorization",
            admin);
    assertThat(keyReply.status()).isEqualTo(201);
    String key = keyReply.json().getString("key");
    var listed = api.get(links(userId), "X-API-Key", key);
    assertThat(listed.status()).as(listed.body()).isEqualTo(200);
    assertThat(listed.json().getJsonArray("links")).isEmpty();
    for (var reply :
        List.of(
            delete(api, one, "X-API-Key", key),
            delete(api, one, "Authorization", "ApiKey " + key),
            delete(api, links(UUID.randomUUID().toString()) + "/x", "X-API-Key", key))) {
      assertThat(reply.status()).as(reply.body()).isEqualTo(403);
      assertThat(reply.code()).isEqualTo("FORBIDDEN");
    }
  }
}
