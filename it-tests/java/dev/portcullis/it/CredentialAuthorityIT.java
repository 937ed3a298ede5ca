package dev.portcullis.it;

import static dev.portcullis.it.Api.bearer;
import static dev.portcullis.it.Api.formEncode;
import static dev.portcullis.it.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 13, item 1: a credential's authority never exceeds the credential, on every route. Each
 * test has the weaker credential try the route: an API key or a bearer token on the account page
 * and its postbacks (they get what an anonymous visitor gets), an API key on the session list and
 * on every admin route that would mint or manage a credential (403 and nothing changed), and scopes
 * beyond the caller's own authority (403 {@code INSUFFICIENT_SCOPE}), while an admin-scoped key
 * still administers users.
 */
@ExtendWith(SharedServer.class)
class CredentialAuthorityIT {

  private static final String PASSWORD = "Authority-Pass-1";
  private static final Pattern VIEW_STATE =
      Pattern.compile("name=\"jakarta.faces.ViewState\"[^>]*value=\"([^\"]+)\"");
  private static final String SIGN_IN = "/login?next=%2Faccount";

  private record Owner(String id, String name, String token) {}

  /** The account page as a browser session sees it: its view state, container session, buttons. */
  private record AccountPage(String viewState, String jsessionId, String body) {

    String button(String label) {
      var m =
          Pattern.compile("name=\"([^\"]+)\" value=\"" + Pattern.quote(label) + "\"").matcher(body);
      assertThat(m.find()).as("button %s on the account page", label).isTrue();
      return m.group(1);
    }
  }

  private static Owner owner(Api api, String... roles) {
    String name = unique("authority");
    var user = api.createUser(name, PASSWORD, roles);
    return new Owner(
        user.getString("id"), name, api.login(name, PASSWORD).getString("access_token"));
  }

  private static String key(Api api, Owner owner, String... scopes) {
    var array = Json.createArrayBuilder();
    for (String scope : scopes) {
      array.add(scope);
    }
    var body =
        Json.createObjectBuilder()
            .add("name", unique("key"))
            .add("scopes", array)
            .build()
            .toString();
    var reply = api.post("/api/v1/keys", body, "Authorization", bearer(owner.token()));
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply.json().getString("key");
  }

  private static List<JsonObject> keysOf(Api api, Owner owner) {
    var reply = api.get("/api/v1/keys", "Authorization", bearer(owner.token()));
    assertThat(reply.status()).isEqualTo(200);
    return reply.json().getJsonArray("items").getValuesAs(JsonValue::asJsonObject);
  }

  private static AccountPage accountPage(Api api, String session) {
    var page = api.get("/account", "Cookie", "__Host-portcullis=" + session);
    assertThat(page.status()).isEqualTo(200);
    var state = VIEW_STATE.matcher(page.body());
    assertThat(state.find()).isTrue();
    String jsessionId = Api.cookie(page, "JSESSIONID");
    assertThat(jsessionId).isNotNull();
    return new AccountPage(state.group(1), jsessionId, page.body());
  }

  /**
   * Posts one of the account page's forms with the page's own view state and container session,
   * plus {@code session} (a browser-session cookie, or null) and further {@code headers} (another
   * credential).
   */
  private static Api.Reply postAccountForm(
      Api api, AccountPage page, String form, String fields, String session, String... headers) {
    String body =
        formEncode(form)
            + "="
            + formEncode(form)
            + "&"
            + fields
            + "&jakarta.faces.ViewState="
            + formEncode(page.viewState());
    var all = new ArrayList<>(List.of("Content-Type", "application/x-www-form-urlencoded"));
    all.add("Cookie");
    all.add(
        "JSESSIONID="
            + page.jsessionId()
            + (session == null ? "" : "; __Host-portcullis=" + session));
    all.addAll(List.of(headers));
    return api.send(
        HttpRequest.newBuilder(URI.create(api.baseUrl() + "/account"))
            .POST(HttpRequest.BodyPublishers.ofString(body)),
        all.toArray(String[]::new));
  }

  private static String newKeyForm(AccountPage page, String... scopes) {
    var fields = new StringBuilder("keys-form%3Akey-name=" + formEncode(unique("forged")));
    for (String scope : scopes) {
      fields.append("&keys-form%3Akey-scopes=").append(formEncode(scope));
    }
    return fields + "&" + formEncode(page.button("Create key")) + "=Create+key";
  }

  private static void assertLikeAnonymous(Api api, Api.Reply reply) {
    var anonymous = api.get("/account");
    assertThat(anonymous.status()).isEqualTo(303);
    assertThat(reply.status()).as("same status as an anonymous visitor").isEqualTo(303);
    assertThat(reply.header("Location"))
        .as("same place as an anonymous visitor")
        .isEqualTo(anonymous.header("Location"))
        .endsWith(SIGN_IN);
    assertThat(reply.body()).doesNotContain("jakarta.faces.ViewState").doesNotContain("keys-form");
  }

  private static Api.Reply delete(Api api, String path, String... headers) {
    return api.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).DELETE(), headers);
  }

  @Test
  void anApiKeyOnTheAccountPageGetsWhatAnAnonymousVisitorGetsAndMintsNothing(Api api) {
    var owner = owner(api, "user", "admin");
    String userKey = key(api, owner, "user");
    int keysBefore = keysOf(api, owner).size();

    assertLikeAnonymous(api, api.get("/account", "X-API-Key", userKey));
    assertLikeAnonymous(api, api.get("/", "X-API-Key", userKey));

    // the attack: the page's own "New key" form, key-scopes=admin, sent with the key
    String session = api.formLogin(owner.name(), PASSWORD, "/account");
    var page = accountPage(api, session);
    var forged =
        postAccountForm(
            api, page, "keys-form", newKeyForm(page, "admin"), null, "X-API-Key", userKey);
    assertLikeAnonymous(api, forged);
    assertThat(forged.body()).doesNotContain("ptc_");
    var keys = keysOf(api, owner);
    assertThat(keys).as("no key was created").hasSize(keysBefore);
    assertThat(keys).noneMatch(k -> k.getJsonArray("scopes").toString().contains("\"admin\""));
    assertThat(api.get("/api/v1/admin/users", "X-API-Key", userKey).status()).isEqualTo(403);

    // "Sign out everywhere else" with the key: no 500, and the owner's browser session lives on
    var signOut =
        postAccountForm(
            api,
            page,
            "sessions-form",
            formEncode(page.button("Sign out everywhere else")) + "=x",
            null,
            "X-API-Key",
            userKey);
    assertThat(signOut.status()).isLessThan(500);
    assertLikeAnonymous(api, signOut);
    assertThat(api.get("/api/v1/me", "Cookie", "__Host-portcullis=" + session).status())
        .as("nothing was ended")
        .isEqualTo(200);
  }

  @Test
  void aBearerTokenOnTheAccountPageGetsWhatAnAnonymousVisitorGets(Api api) {
    var owner = owner(api, "user", "admin");
    assertLikeAnonymous(api, api.get("/account", "Authorization", bearer(owner.token())));

    String session = api.formLogin(owner.name(), PASSWORD, "/account");
    var page = accountPage(api, session);
    int keysBefore = keysOf(api, owner).size();
    var forged =
        postAccountForm(
            api,
            page,
            "keys-form",
            newKeyForm(page, "user"),
            null,
            "Authorization",
            bearer(owner.token()));
    assertLikeAnonymous(api, forged);
    assertThat(keysOf(api, owner)).hasSize(keysBefore);
  }

  @Test
  void aBrowserSessionStillUsesThePageAndCannotForgeAScopeItLacks(Api api) {
    var plain = owner(api, "user");
    String session = api.formLogin(plain.name(), PASSWORD, "/account");
    var page = accountPage(api, session);
    assertThat(page.body()).contains("value=\"user\"").doesNotContain("value=\"admin\"");

    var forged = postAccountForm(api, page, "keys-form", newKeyForm(page, "admin"), session);
    assertThat(forged.status()).isEqualTo(200);
    assertThat(forged.body()).doesNotContain("ptc_");
    assertThat(keysOf(api, plain)).isEmpty();

    var page2 = accountPage(api, session);
    var created = postAccountForm(api, page2, "keys-form", newKeyForm(page2, "user"), session);
    assertThat(created.status()).isEqualTo(200);
    assertThat(created.body()).contains("ptc_");
    assertThat(keysOf(api, plain)).hasSize(1);
  }

  @Test
  void anApiKeyNeitherListsNorEndsSessions(Api api) {
    var owner = owner(api, "user");
    String key = key(api, owner, "user");
    String session = api.formLogin(owner.name(), PASSWORD, "/account");
    String sessionId = api.currentSessionId(session);

    var list = api.get("/api/v1/sessions", "X-API-Key", key);
    assertThat(list.status()).isEqualTo(403);
    assertThat(list.code()).isEqualTo("FORBIDDEN");
    assertThat(list.body()).doesNotContain(sessionId);

    var end = delete(api, "/api/v1/sessions/" + sessionId, "X-API-Key", key);
    assertThat(end.status()).isEqualTo(403);
    assertThat(end.code()).isEqualTo("FORBIDDEN");
    assertThat(api.get("/api/v1/me", "Cookie", "__Host-portcullis=" + session).status())
        .isEqualTo(200);
    assertThat(api.get("/api/v1/sessions", "Authorization", bearer(owner.token())).status())
        .as("a token still lists them")
        .isEqualTo(200);
  }

  @Test
  void anAdminScopedKeyAdministersUsersButNeverMintsOrManagesCredentials(Api api) {
    String admin = bearer(api.adminToken());
    var operator = owner(api, "user", "admin");
    String adminKey = key(api, operator, "admin", "user");
    var target = owner(api, "user");
    String targetKey = key(api, target, "user");
    String targetKeyId = keysOf(api, target).get(0).getString("id");

    // keys of another user: list yes; create, rotate, revoke no
    assertThat(
            api.get("/api/v1/admin/users/" + target.id() + "/keys", "X-API-Key", adminKey).status())
        .isEqualTo(200);
    var create =
        api.post(
            "/api/v1/admin/users/" + target.id() + "/keys",
            "{\"name\":\"minted\",\"scopes\":[\"user\"]}",
            "X-API-Key",
            adminKey);
    assertThat(create.status()).isEqualTo(403);
    assertThat(create.code()).isEqualTo("FORBIDDEN");
    var rotate =
        api.post(
            "/api/v1/admin/users/" + target.id() + "/keys/" + targetKeyId + "/rotate",
            "{\"grace_seconds\":0}",
            "X-API-Key",
            adminKey);
    assertThat(rotate.status()).isEqualTo(403);
    var revoke =
        delete(
            api,
            "/api/v1/admin/users/" + target.id() + "/keys/" + targetKeyId,
            "X-API-Key",
            adminKey);
    assertThat(revoke.status()).isEqualTo(403);
    assertThat(keysOf(api, target)).hasSize(1);
    assertThat(api.get("/api/v1/me", "X-API-Key", targetKey).status())
        .as("neither rotated nor revoked")
        .isEqualTo(200);

    // its own keys: none minted through the JSON API either
    assertThat(
            api.post(
                    "/api/v1/keys",
                    "{\"name\":\"self\",\"scopes\":[\"user\"]}",
                    "X-API-Key",
                    adminKey)
                .status())
        .isEqualTo(403);

    // users: creating one sets a password, so no
    String newName = unique("minted-user");
    var newUser =
        Json.createObjectBuilder()
            .add("username", newName)
            .add("password", PASSWORD)
            .add("roles", Json.createArrayBuilder().add("admin"))
            .build()
            .toString();
    var created = api.post("/api/v1/admin/users", newUser, "X-API-Key", adminKey);
    assertThat(created.status()).isEqualTo(403);
    assertThat(created.code()).isEqualTo("FORBIDDEN");
    assertThat(api.post("/api/v1/auth/login", Api.credentials(newName, PASSWORD)).status())
        .as("no such user was created")
        .isEqualTo(401);

    // password reset: no, and the old password still works
    var reset =
        api.post(
            "/api/v1/admin/users/" + target.id() + "/password",
            "{\"password\":\"Taken-Over-Pass-1\"}",
            "X-API-Key",
            adminKey);
    assertThat(reset.status()).isEqualTo(403);
    assertThat(api.post("/api/v1/auth/login", Api.credentials(target.name(), PASSWORD)).status())
        .isEqualTo(200);

    // import of password hashes: no, and the name is still free afterwards
    String importedName = unique("imported");
    String imports =
        Json.createObjectBuilder()
            .add(
                "users",
                Json.createArrayBuilder()
                    .add(
                        Json.createObjectBuilder()
                            .add("username", importedName)
                            .add(
                                "password_hash",
                                "$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i")
                            .add("roles", Json.createArrayBuilder().add("admin"))))
            .build()
            .toString();
    var imported = api.post("/api/v1/admin/users/import", imports, "X-API-Key", adminKey);
    assertThat(imported.status()).isEqualTo(403);
    assertThat(imported.code()).isEqualTo("FORBIDDEN");
    assertThat(api.post("/api/v1/admin/users/import", imports, "Authorization", admin).status())
        .as("the refused import left the name free")
        .isEqualTo(200);

    // signing keys: list yes; rotate and revoke no
    var signingKeys = api.get("/api/v1/admin/signing-keys", "X-API-Key", adminKey);
    assertThat(signingKeys.status()).isEqualTo(200);
    String before = api.get("/api/v1/admin/signing-keys", "Authorization", admin).body();
    String activeKid =
        signingKeys.json().getJsonArray("keys").getValuesAs(JsonValue::asJsonObject).stream()
            .filter(k -> k.getString("status").equals("active"))
            .findFirst()
            .orElseThrow()
            .getString("kid");
    assertThat(api.post("/api/v1/admin/signing-keys/rotate", null, "X-API-Key", adminKey).status())
        .isEqualTo(403);
    assertThat(
            api.post(
                    "/api/v1/admin/signing-keys/" + activeKid + "/revoke",
                    null,
                    "X-API-Key",
                    adminKey)
                .status())
        .isEqualTo(403);
    assertThat(api.get("/api/v1/admin/signing-keys", "Authorization", admin).body())
        .as("no signing key rotated or revoked")
        .isEqualTo(before);

    // administering users is still allowed
    assertThat(api.get("/api/v1/admin/users/" + target.id(), "X-API-Key", adminKey).status())
        .isEqualTo(200);
    var disabled =
        api.post("/api/v1/admin/users/" + target.id() + "/disable", null, "X-API-Key", adminKey);
    assertThat(disabled.status()).isEqualTo(200);
    assertThat(disabled.json().getString("status")).isEqualTo("disabled");
  }

  @Test
  void scopesNeverExceedTheCallersOwnAuthority(Api api) {
    // a token issued before its owner gained admin carries only "user"
    var owner = owner(api, "user");
    String staleToken = owner.token();
    String admin = bearer(api.adminToken());
    assertThat(
            api.put(
                    "/api/v1/admin/users/" + owner.id() + "/roles",
                    "{\"roles\":[\"user\",\"admin\"]}",
                    "Authorization",
                    admin)
                .status())
        .isEqualTo(200);
    var escalate =
        api.post(
            "/api/v1/keys",
            "{\"name\":\"wider\",\"scopes\":[\"admin\"]}",
            "Authorization",
            bearer(staleToken));
    assertThat(escalate.status()).isEqualTo(403);
    assertThat(escalate.code()).isEqualTo("INSUFFICIENT_SCOPE");
    assertThat(
            api.post(
                    "/api/v1/keys",
                    "{\"name\":\"narrow\",\"scopes\":[\"user\"]}",
                    "Authorization",
                    bearer(staleToken))
                .status())
        .isEqualTo(201);
    // nor obtain a fresh secret of a wider key that a stronger credential made
    var wide =
        api.post(
            "/api/v1/keys",
            "{\"name\":\"wide\",\"scopes\":[\"admin\",\"user\"]}",
            "Authorization",
            bearer(api.login(owner.name(), PASSWORD).getString("access_token")));
    assertThat(wide.status()).as(wide.body()).isEqualTo(201);
    String wideId = wide.json().getString("id");
    var rotate =
        api.post("/api/v1/keys/" + wideId + "/rotate", null, "Authorization", bearer(staleToken));
    assertThat(rotate.status()).as(rotate.body()).isEqualTo(403);
    assertThat(rotate.code()).isEqualTo("INSUFFICIENT_SCOPE");
    assertThat(rotate.body()).doesNotContain("ptc_");
    assertThat(keysOf(api, owner))
        .filteredOn(k -> k.getString("id").equals(wideId))
        .as("the wide key was not rotated")
        .singleElement()
        .satisfies(k -> assertThat(k.isNull("rotated_at")).isTrue());

    // an administrator who lacks "user" cannot grant it to someone else's key
    var adminOnly = owner(api, "admin");
    var target = owner(api, "user");
    var granted =
        api.post(
            "/api/v1/admin/users/" + target.id() + "/keys",
            "{\"name\":\"granted\",\"scopes\":[\"user\"]}",
            "Authorization",
            bearer(adminOnly.token()));
    assertThat(granted.status()).isEqualTo(403);
    assertThat(granted.code()).isEqualTo("INSUFFICIENT_SCOPE");
    assertThat(keysOf(api, target)).isEmpty();
    assertThat(
            api.post(
                    "/api/v1/admin/users/" + target.id() + "/keys",
                    "{\"name\":\"granted\",\"scopes\":[\"user\"]}",
                    "Authorization",
                    admin)
                .status())
        .as("an administrator holding both roles may")
        .isEqualTo(201);
  }
}
