package dev.portcullis.it;

import static dev.portcullis.it.Api.bearer;
import static dev.portcullis.it.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The OAuth client registry's admin API on the real server (SPEC 3.6): confidential and public
 * clients registered, shown, changed, re-keyed and deleted; the secret shown once and never again,
 * no hash ever; validation answered 400 naming the field; clients from the clients file ({@link
 * SharedServer#CLIENTS_FILE}) read-only; every change audited; and every route tried by weaker
 * credentials — anonymous (401), a {@code user} token (403), an admin-scoped API key (reads only;
 * 403 on every change). That a rotated secret stops working at once is {@code ClientRegistryTest}'s
 * (the token endpoint is not part of this API).
 */
@ExtendWith(SharedServer.class)
class OAuthClientAdminIT {

  private static final String CLIENTS = "/api/v1/admin/clients";
  private static final String PASSWORD = "Client-Admin-Pass1";

  private static String confidential(String id) {
    return "{\"client_id\":\""
        + id
        + "\",\"name\":\"Reports\",\"redirect_uris\":[\"https://reports.example/cb\"],"
        + "\"grant_types\":[\"authorization_code\",\"refresh_token\"],"
        + "\"token_endpoint_auth_method\":\"client_secret_post\",\"require_pkce\":false,"
        + "\"scopes\":[\"openid\",\"email\"]}";
  }

  private static String publicClient(String id) {
    return "{\"client_id\":\""
        + id
        + "\",\"name\":\"Mobile\",\"redirect_uris\":[\"com.example.mobile:/cb\","
        + "\"http://127.0.0.1/cb\"],\"grant_types\":[\"authorization_code\"],"
        + "\"token_endpoint_auth_method\":\"none\",\"consent\":\"required\"}";
  }

  private static Api.Reply delete(Api api, String path, String... headers) {
    return api.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).DELETE(), headers);
  }

  private static String sha256(String value) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
  }

  private static List<String> strings(JsonObject json, String name) {
    return json.getJsonArray(name).getValuesAs(JsonString.class).stream()
        .map(JsonString::getString)
        .toList();
  }

  @Test
  void aConfidentialClientsSecretIsShownOnceAndItsHashNever(Api api) throws Exception {
    String admin = bearer(api.adminToken());
    String id = unique("reports");

    var created = api.post(CLIENTS, confidential(id), "Authorization", admin);

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.header("Location")).endsWith(CLIENTS + "/" + id);
    assertThat(created.header("Cache-Control")).contains("no-store");
    var body = created.json();
    String secret = body.getString("client_secret");
    assertThat(secret).matches("[A-Za-z0-9_-]{43}");
    assertThat(body.getString("client_id")).isEqualTo(id);
    assertThat(body.getString("name")).isEqualTo("Reports");
    assertThat(strings(body, "redirect_uris")).containsExactly("https://reports.example/cb");
    assertThat(strings(body, "post_logout_redirect_uris")).isEmpty();
    assertThat(strings(body, "grant_types")).containsExactly("authorization_code", "refresh_token");
    assertThat(body.getString("token_endpoint_auth_method")).isEqualTo("client_secret_post");
    assertThat(strings(body, "scopes")).containsExactly("email", "openid");
    assertThat(body.getBoolean("require_pkce")).isFalse();
    assertThat(body.getString("consent")).isEqualTo("implicit");
    assertThat(body.getString("access_token_profile")).isEqualTo("rfc9068");
    assertThat(strings(body, "roles")).isEmpty();
    assertThat(body.isNull("access_token_ttl")).isTrue();
    assertThat(body.isNull("refresh_token_ttl")).isTrue();
    assertThat(body.getString("source")).isEqualTo("api");
    assertThat(body.getString("created_at")).isNotBlank();

    String hash = sha256(secret);
    var shown = api.get(CLIENTS + "/" + id, "Authorization", admin);
    assertThat(shown.status()).isEqualTo(200);
    assertThat(shown.json().containsKey("client_secret")).isFalse();
    assertThat(shown.body()).doesNotContain(secret).doesNotContain(hash);
    var list = api.get(CLIENTS, "Authorization", admin);
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.body()).contains("\"" + id + "\"").doesNotContain(secret).doesNotContain(hash);

    var rotated = api.post(CLIENTS + "/" + id + "/secret", null, "Authorization", admin);
    assertThat(rotated.status()).isEqualTo(200);
    assertThat(rotated.header("Cache-Control")).contains("no-store");
    String newSecret = rotated.json().getString("client_secret");
    assertThat(newSecret).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(secret);
    var afterRotation = api.get(CLIENTS + "/" + id, "Authorization", admin);
    assertThat(afterRotation.body()).doesNotContain(newSecret).doesNotContain(sha256(newSecret));

    if (System.getProperty("it.baseUrl", "").isBlank()) {
      String log = Files.readString(api.server().logFile());
      assertThat(log).doesNotContain(secret).doesNotContain(newSecret).doesNotContain(hash);
    }
  }

  @Test
  void aClientIsReplacedByPutAndGoneAfterDelete(Api api) {
    String admin = bearer(api.adminToken());
    String id = unique("crm");
    assertThat(api.post(CLIENTS, confidential(id), "Authorization", admin).status()).isEqualTo(201);

    var replaced =
        api.put(
            CLIENTS + "/" + id,
            "{\"name\":\"CRM\",\"redirect_uris\":[\"https://crm.example/cb\","
                + "\"https://crm.example/cb2\"],\"post_logout_redirect_uris\":"
                + "[\"https://crm.example/\"],\"grant_types\":[\"authorization_code\","
                + "\"client_credentials\"],\"roles\":[\"user\"],\"access_token_ttl\":\"PT5M\","
                + "\"access_token_profile\":\"mp-jwt\"}",
            "Authorization",
            admin);

    assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
    var body = replaced.json();
    assertThat(body.getString("name")).isEqualTo("CRM");
    assertThat(strings(body, "redirect_uris"))
        .containsExactly("https://crm.example/cb", "https://crm.example/cb2");
    assertThat(strings(body, "grant_types"))
        .containsExactly("authorization_code", "client_credentials");
    assertThat(body.getString("token_endpoint_auth_method"))
        .as("absent: the default")
        .isEqualTo("client_secret_basic");
    assertThat(body.getBoolean("require_pkce")).as("absent: the default").isTrue();
    assertThat(strings(body, "scopes")).containsExactly("email", "openid", "profile");
    assertThat(strings(body, "roles")).containsExactly("user");
    assertThat(body.getString("access_token_ttl")).isEqualTo("PT5M");
    assertThat(body.getString("access_token_profile")).isEqualTo("mp-jwt");
    assertThat(body.containsKey("client_secret")).isFalse();
    assertThat(api.get(CLIENTS + "/" + id, "Authorization", admin).json().getString("name"))
        .isEqualTo("CRM");

    var renamed =
        api.put(
            CLIENTS + "/" + id,
            "{\"client_id\":\"other\",\"name\":\"x\",\"grant_types\":[\"client_credentials\"]}",
            "Authorization",
            admin);
    assertThat(renamed.status()).isEqualTo(400);
    assertThat(renamed.json().getString("detail")).contains("client_id cannot change");

    assertThat(delete(api, CLIENTS + "/" + id, "Authorization", admin).status()).isEqualTo(204);
    var gone = api.get(CLIENTS + "/" + id, "Authorization", admin);
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.code()).isEqualTo("NOT_FOUND");
    assertThat(gone.header("Content-Type")).startsWith("application/problem+json");
    assertThat(delete(api, CLIENTS + "/" + id, "Authorization", admin).status()).isEqualTo(404);
    assertThat(api.post(CLIENTS + "/" + id + "/secret", null, "Authorization", admin).status())
        .isEqualTo(404);
    assertThat(api.put(CLIENTS + "/" + id, confidential(id), "Authorization", admin).status())
        .isEqualTo(404);
    assertThat(api.get(CLIENTS + "/no%20such", "Authorization", admin).status()).isEqualTo(404);

    var audit =
        api
            .get("/api/v1/admin/audit?subject=" + id + "&limit=20", "Authorization", admin)
            .json()
            .getJsonArray("items")
            .getValuesAs(JsonObject.class)
            .stream()
            .map(e -> e.getString("type"))
            .toList();
    assertThat(audit).contains("CLIENT_CREATED", "CLIENT_UPDATED", "CLIENT_DELETED");
  }

  @Test
  void aPublicClientHasNoSecretAndStaysPublic(Api api) {
    String admin = bearer(api.adminToken());
    String id = unique("mobile");

    var created = api.post(CLIENTS, publicClient(id), "Authorization", admin);

    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().containsKey("client_secret")).isFalse();
    assertThat(created.json().getString("token_endpoint_auth_method")).isEqualTo("none");
    assertThat(created.json().getBoolean("require_pkce")).isTrue();
    assertThat(created.json().getString("consent")).isEqualTo("required");
    var rotate = api.post(CLIENTS + "/" + id + "/secret", null, "Authorization", admin);
    assertThat(rotate.status()).isEqualTo(400);
    assertThat(rotate.code()).isEqualTo("VALIDATION_FAILED");

    var toConfidential =
        api.put(
            CLIENTS + "/" + id,
            publicClient(id).replace("\"none\"", "\"client_secret_basic\""),
            "Authorization",
            admin);
    assertThat(toConfidential.status()).isEqualTo(400);
    assertThat(toConfidential.json().getString("detail"))
        .contains("token_endpoint_auth_method cannot switch");

    String confidentialId = unique("web");
    api.post(CLIENTS, confidential(confidentialId), "Authorization", admin);
    var toPublic =
        api.put(
            CLIENTS + "/" + confidentialId,
            confidential(confidentialId)
                .replace("\"client_secret_post\"", "\"none\"")
                .replace("\"require_pkce\":false", "\"require_pkce\":true"),
            "Authorization",
            admin);
    assertThat(toPublic.status()).isEqualTo(400);
    assertThat(toPublic.json().getString("detail"))
        .contains("token_endpoint_auth_method cannot switch");
  }

  @Test
  void anIdIsGeneratedWhenAbsentAndNeverRegisteredTwice(Api api) {
    String admin = bearer(api.adminToken());
    var created =
        api.post(
            CLIENTS,
            "{\"name\":\"Batch\",\"grant_types\":[\"client_credentials\"],\"roles\":[\"user\"]}",
            "Authorization",
            admin);
    assertThat(created.status()).isEqualTo(201);
    String id = created.json().getString("client_id");
    assertThat(id).matches("[A-Za-z0-9_-]{22}");
    assertThat(strings(created.json(), "roles")).containsExactly("user");

    var again = api.post(CLIENTS, confidential(id), "Authorization", admin);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.code()).isEqualTo("CLIENT_EXISTS");
  }

  @Test
  void invalidRegistrationsAreRefusedNamingTheField(Api api) {
    String admin = bearer(api.adminToken());
    String base =
        "\"name\":\"x\",\"grant_types\":[\"authorization_code\"],"
            + "\"redirect_uris\":[\"https://x.example/cb\"]";
    String[][] cases = {
      {"{" + base + ",\"colour\":\"blue\"}", "colour is not a field"},
      {"{" + base + ",\"client_secret\":\"mine\"}", "client_secret is not a field"},
      {"{\"name\":\"x\",\"grant_types\":[\"authorization_code\"]}", "redirect_uris must name"},
      {
        "{\"name\":\"x\",\"grant_types\":[\"authorization_code\"],"
            + "\"redirect_uris\":[\"http://x.example/cb\"]}",
        "redirect_uris[0] may use http only on a loopback host"
      },
      {
        "{\"name\":\"x\",\"grant_types\":[\"authorization_code\"],"
            + "\"redirect_uris\":[\"https://x.example/cb#f\"]}",
        "redirect_uris[0] must not have a fragment"
      },
      {
        "{\"name\":\"x\",\"grant_types\":[\"client_credentials\"],"
            + "\"token_endpoint_auth_method\":\"none\"}",
        "grant_types cannot include client_credentials for a public client"
      },
      {
        "{" + base + ",\"token_endpoint_auth_method\":\"none\",\"require_pkce\":false}",
        "require_pkce cannot be false for a public client"
      },
      {"{" + base + ",\"roles\":[\"user\"]}", "roles are what a client_credentials token"},
      {
        "{\"name\":\"x\",\"grant_types\":[\"client_credentials\"],\"roles\":[\"root\"]}",
        "roles must each be one of portcullis.roles"
      },
      {"{" + base + ",\"access_token_ttl\":\"PT1H\"}", "access_token_ttl must be between PT1M"},
      {"{" + base + ",\"grant_types\":[\"password\"]}", "names a member twice"},
      {"{\"name\":\"x\",\"grant_types\":[\"password\"]}", "grant_types must name one or more"},
      {"{" + base + ",\"client_id\":\"a b\"}", "client_id must be 1-64 characters"},
      {"[]", "JSON"},
      {"{" + base, "not valid JSON"},
    };
    for (String[] c : cases) {
      var reply = api.post(CLIENTS, c[0], "Authorization", admin);
      assertThat(reply.status()).as(c[0]).isEqualTo(400);
      assertThat(reply.code()).as(c[0]).isEqualTo("VALIDATION_FAILED");
      assertThat(reply.json().getString("detail")).as(c[0]).contains(c[1]);
    }
    var text =
        api.send(
            HttpRequest.newBuilder(URI.create(api.baseUrl() + CLIENTS))
                .POST(HttpRequest.BodyPublishers.ofString("{" + base + "}")),
            "Authorization",
            admin,
            "Content-Type",
            "text/plain");
    assertThat(text.status()).isEqualTo(415);
  }

  @Test
  void rolesBeyondTheCallersOwnAreRefused(Api api) {
    String name = unique("admin-only");
    api.createUser(name, PASSWORD, "admin");
    String adminOnly = bearer(api.login(name, PASSWORD).getString("access_token"));

    var refused =
        api.post(
            CLIENTS,
            "{\"name\":\"x\",\"grant_types\":[\"client_credentials\"],\"roles\":[\"user\"]}",
            "Authorization",
            adminOnly);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.code()).isEqualTo("INSUFFICIENT_SCOPE");

    var allowed =
        api.post(
            CLIENTS,
            "{\"name\":\"x\",\"grant_types\":[\"client_credentials\"],\"roles\":[\"admin\"]}",
            "Authorization",
            adminOnly);
    assertThat(allowed.status()).isEqualTo(201);
  }

  @Test
  void fileClientsAreListedAndReadOnly(Api api) {
    assumeThat(System.getProperty("it.baseUrl", "")).as("the shared server's own file").isBlank();
    String admin = bearer(api.adminToken());

    var legacy = api.get(CLIENTS + "/it-file-legacy", "Authorization", admin);
    assertThat(legacy.status()).isEqualTo(200);
    assertThat(legacy.json().getString("source")).isEqualTo("file");
    assertThat(legacy.json().getString("token_endpoint_auth_method"))
        .isEqualTo("client_secret_post");
    assertThat(legacy.json().getBoolean("require_pkce")).isFalse();
    assertThat(legacy.json().containsKey("client_secret")).isFalse();
    assertThat(legacy.body())
        .doesNotContain(SharedServer.FILE_CLIENT_SECRET)
        .doesNotContain("7071f5da4c3c3197bbd7daf0eef5b20644f92a3b1a118b2345586d3aca7d2b24");
    var service = api.get(CLIENTS + "/it-file-service", "Authorization", admin);
    assertThat(strings(service.json(), "roles")).containsExactly("user");
    assertThat(service.body())
        .doesNotContain("7071f5da4c3c3197bbd7daf0eef5b20644f92a3b1a118b2345586d3aca7d2b24");
    assertThat(api.get(CLIENTS + "/it-file-spa", "Authorization", admin).json().getString("source"))
        .isEqualTo("file");

    for (var reply :
        List.of(
            api.put(
                CLIENTS + "/it-file-legacy",
                confidential("it-file-legacy"),
                "Authorization",
                admin),
            delete(api, CLIENTS + "/it-file-legacy", "Authorization", admin),
            api.post(CLIENTS + "/it-file-legacy/secret", null, "Authorization", admin),
            api.put(CLIENTS + "/it-file-spa", "{}", "Authorization", admin))) {
      assertThat(reply.status()).as(reply.body()).isEqualTo(409);
      assertThat(reply.code()).isEqualTo("CLIENT_READ_ONLY");
    }
    var taken = api.post(CLIENTS, confidential("it-file-legacy"), "Authorization", admin);
    assertThat(taken.status()).isEqualTo(409);
    assertThat(taken.code()).isEqualTo("CLIENT_EXISTS");
    assertThat(
            api.get(CLIENTS + "/it-file-legacy", "Authorization", admin).json().getString("name"))
        .isEqualTo("Legacy app (clients file)");
  }

  @Test
  void anInvalidClientsFileStopsTheStartNamingTheEntryAndField() throws Exception {
    assumeThat(System.getProperty("it.baseUrl", "")).as("starts a server of its own").isBlank();
    // a failing start costs a server boot: once, in the README's test command (H2), not again in
    // the PostgreSQL and WildFly runs of .ci/run, which pass it.db.url
    assumeThat(System.getProperty("it.db.url", "")).as("runs in the H2 run only").isBlank();
    var file = PortcullisServer.workDirOf("clients-invalid").resolveSibling("clients-invalid.json");
    Files.createDirectories(file.getParent());
    Files.writeString(
        file,
        "[{\"client_id\":\"fine\",\"name\":\"Fine\",\"grant_types\":[\"client_credentials\"],"
            + "\"client_secret_env\":\"PORTCULLIS_IT_UNSET_SECRET_VARIABLE\"}]");

    Throwable failure = null;
    try (var server =
        PortcullisServer.start(
            "clients-invalid", java.util.Map.of("PORTCULLIS_CLIENTS_FILE", file.toString()))) {
      // started although the file names an unset variable: fail below
    } catch (IllegalStateException e) {
      failure = e;
    }

    assertThat(failure).as("the start must fail").isNotNull();
    assertThat(failure.getMessage())
        .contains("exited")
        .contains(
            "portcullis.clients-file entry 1 (client_id \"fine\"): client_secret_env names"
                + " PORTCULLIS_IT_UNSET_SECRET_VARIABLE, which is not set");
  }

  @Test
  void weakerCredentialsAreRefusedOnEveryRoute(Api api) {
    String admin = bearer(api.adminToken());
    String id = unique("guarded");
    String secret =
        api.post(CLIENTS, confidential(id), "Authorization", admin)
            .json()
            .getString("client_secret");
    String one = CLIENTS + "/" + id;

    // anonymous: 401 on every route
    for (var reply :
        List.of(
            api.get(CLIENTS),
            api.get(one),
            api.post(CLIENTS, confidential(unique("anon"))),
            api.put(one, confidential(id)),
            delete(api, one),
            api.post(one + "/secret", null))) {
      assertThat(reply.status()).as(reply.body()).isEqualTo(401);
      assertThat(reply.header("WWW-Authenticate")).startsWith("Bearer");
    }

    // a user token: 403 on every route
    String userName = unique("client-user");
    api.createUser(userName, PASSWORD, "user");
    String user = bearer(api.login(userName, PASSWORD).getString("access_token"));
    for (var reply :
        List.of(
            api.get(CLIENTS, "Authorization", user),
            api.get(one, "Authorization", user),
            api.post(CLIENTS, confidential(unique("user")), "Authorization", user),
            api.put(one, confidential(id), "Authorization", user),
            delete(api, one, "Authorization", user),
            api.post(one + "/secret", null, "Authorization", user))) {
      assertThat(reply.status()).as(reply.body()).isEqualTo(403);
      assertThat(reply.code()).isEqualTo("FORBIDDEN");
    }

    // an admin-scoped API key: reads, but no change
    var keyReply =
        api.post(
            "/api/v1/keys",
            "{\"name\":\"" + unique("admin-key") + "\",\"scopes\":[\"admin\",\"user\"]}",
            "Authorization",
            admin);
    assertThat(keyReply.status()).isEqualTo(201);
    String key = keyReply.json().getString("key");
    assertThat(api.get(CLIENTS, "X-API-Key", key).status()).isEqualTo(200);
    var shown = api.get(one, "X-API-Key", key);
    assertThat(shown.status()).isEqualTo(200);
    assertThat(shown.body()).doesNotContain(secret);
    String created = unique("by-key");
    for (var reply :
        List.of(
            api.post(CLIENTS, confidential(created), "X-API-Key", key),
            api.put(one, confidential(id).replace("Reports", "Hijacked"), "X-API-Key", key),
            delete(api, one, "X-API-Key", key),
            api.post(one + "/secret", null, "X-API-Key", key),
            api.post(CLIENTS, confidential(unique("by-key")), "Authorization", "ApiKey " + key))) {
      assertThat(reply.status()).as(reply.body()).isEqualTo(403);
      assertThat(reply.code()).isEqualTo("FORBIDDEN");
      assertThat(reply.body()).doesNotContain("client_secret");
    }
    assertThat(api.get(CLIENTS + "/" + created, "Authorization", admin).status())
        .as("nothing was created")
        .isEqualTo(404);
    assertThat(api.get(one, "Authorization", admin).json().getString("name"))
        .as("nothing was changed")
        .isEqualTo("Reports");
  }
}
