package dev.portcullis.it;

import static dev.portcullis.it.Api.bearer;
import static dev.portcullis.it.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Browser sessions at the HTTP level (the Chromium tests drive the same pages in a real browser):
 * the form login sets the {@code __Host-} cookie, the cookie authenticates the JSON API, unsafe
 * cookie-authenticated calls need the CSRF token and this origin, sessions can be listed and ended,
 * and logout, password change and disabling end them server-side.
 */
@ExtendWith(SharedServer.class)
class BrowserSessionHttpIT {

  private static final String PASSWORD = "Browser-Pass-1";
  private static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"");

  private static String csrf(Api api, String session) {
    var account = api.get("/account", "Cookie", "__Host-portcullis=" + session);
    assertThat(account.status()).isEqualTo(200);
    var m = CSRF.matcher(account.body());
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  @Test
  void formLoginSetsAHostOnlyHttpOnlyCookieAndRedirectsOnSiteOnly(Api api) {
    String name = unique("browser");
    api.createUser(name, PASSWORD, "user");
    for (String next :
        new String[] {"https://evil.example", "//evil.example", "/\\evil.example", "/account"}) {
      var reply = api.submitLoginForm(name, PASSWORD, next);
      assertThat(reply.status()).isIn(302, 303);
      assertThat(reply.header("Location"))
          .as(next)
          .matches("(" + Pattern.quote(api.baseUrl()) + ")?/account");
      String setCookie = Api.setCookieHeader(reply, "__Host-portcullis");
      assertThat(setCookie)
          .contains("; Path=/")
          .contains("; Secure")
          .contains("; HttpOnly")
          .contains("SameSite=Lax")
          .doesNotContainIgnoringCase("domain=");
    }
    var wrong = api.submitLoginForm(name, "nope", "/account");
    assertThat(wrong.status()).isEqualTo(200);
    assertThat(wrong.body()).contains("Invalid username or password.").contains(name);
    assertThat(Api.setCookieHeader(wrong, "__Host-portcullis")).isNull();
  }

  @Test
  void theCookieAuthenticatesTheApiAndUnsafeCallsNeedCsrfProof(Api api) {
    String name = unique("cookie");
    api.createUser(name, PASSWORD, "user");
    String session = api.formLogin(name, PASSWORD, "/account");
    assertThat(session).hasSize(43);
    String cookie = "__Host-portcullis=" + session;

    var me = api.get("/api/v1/me", "Cookie", cookie);
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().getString("auth_method")).isEqualTo("session");

    String body = "{\"name\":\"from page\",\"scopes\":[\"user\"]}";
    var noToken = api.post("/api/v1/keys", body, "Cookie", cookie);
    assertThat(noToken.status()).isEqualTo(403);
    assertThat(noToken.code()).isEqualTo("CSRF_REJECTED");
    String token = csrf(api, session);
    var crossSite =
        api.post(
            "/api/v1/keys",
            body,
            "Cookie",
            cookie,
            "X-CSRF-Token",
            token,
            "Origin",
            "https://evil.example");
    assertThat(crossSite.status()).isEqualTo(403);
    var fetchCrossSite =
        api.post(
            "/api/v1/keys",
            body,
            "Cookie",
            cookie,
            "X-CSRF-Token",
            token,
            "Sec-Fetch-Site",
            "cross-site");
    assertThat(fetchCrossSite.status()).isEqualTo(403);
    var wrongToken =
        api.post(
            "/api/v1/keys",
            body,
            "Cookie",
            cookie,
            "X-CSRF-Token",
            token + "x",
            "Origin",
            api.baseUrl());
    assertThat(wrongToken.status()).isEqualTo(403);
    var sameSite =
        api.post(
            "/api/v1/keys",
            body,
            "Cookie",
            cookie,
            "X-CSRF-Token",
            token,
            "Origin",
            api.baseUrl(),
            "Sec-Fetch-Site",
            "same-origin");
    assertThat(sameSite.status()).isEqualTo(201);
    assertThat(api.get("/api/v1/me", "X-API-Key", sameSite.json().getString("key")).status())
        .isEqualTo(200);
  }

  @Test
  void sessionsListedTogetherEndedByIdAndByLogout(Api api) {
    String name = unique("sessions");
    api.createUser(name, PASSWORD, "user");
    String first = api.formLogin(name, PASSWORD, "/account");
    String second = api.formLogin(name, PASSWORD, "/account");
    assertThat(second).isNotEqualTo(first);
    var tokens = api.login(name, PASSWORD);

    var list =
        api.get("/api/v1/sessions", "Authorization", bearer(tokens.getString("access_token")));
    assertThat(list.status()).isEqualTo(200);
    var items = list.json().getJsonArray("items");
    assertThat(items.stream().map(v -> v.asJsonObject().getString("kind")))
        .containsExactlyInAnyOrder("browser", "browser", "api");

    String secondId = api.currentSessionId(second);
    var end =
        api.send(
            HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/v1/sessions/" + secondId))
                .DELETE(),
            "Authorization",
            bearer(tokens.getString("access_token")));
    assertThat(end.status()).isEqualTo(204);
    assertThat(api.get("/api/v1/me", "Cookie", "__Host-portcullis=" + second).status())
        .as("ended from elsewhere, at once")
        .isEqualTo(401);
    assertThat(api.get("/api/v1/me", "Cookie", "__Host-portcullis=" + first).status())
        .isEqualTo(200);

    String token = csrf(api, first);
    var crossSiteLogout =
        api.send(
            HttpRequest.newBuilder(URI.create(api.baseUrl() + "/logout"))
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + Api.formEncode(token))),
            "Content-Type",
            "application/x-www-form-urlencoded",
            "Cookie",
            "__Host-portcullis=" + first,
            "Origin",
            "https://evil.example");
    assertThat(crossSiteLogout.status()).isEqualTo(403);
    assertThat(api.get("/api/v1/me", "Cookie", "__Host-portcullis=" + first).status())
        .isEqualTo(200);
    var logout =
        api.send(
            HttpRequest.newBuilder(URI.create(api.baseUrl() + "/logout"))
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + Api.formEncode(token))),
            "Content-Type",
            "application/x-www-form-urlencoded",
            "Cookie",
            "__Host-portcullis=" + first,
            "Origin",
            api.baseUrl());
    assertThat(logout.status()).isEqualTo(303);
    assertThat(logout.header("Location")).endsWith("/login");
    assertThat(Api.setCookieHeader(logout, "__Host-portcullis")).contains("Max-Age=0");
    assertThat(api.get("/api/v1/me", "Cookie", "__Host-portcullis=" + first).status())
        .as("the old cookie replayed after logout")
        .isEqualTo(401);
    var page = api.get("/account", "Cookie", "__Host-portcullis=" + first);
    assertThat(page.status()).isEqualTo(303);
    assertThat(page.header("Location")).endsWith("/login?next=%2Faccount");
  }

  @Test
  void disablingTheUserEndsTheirBrowserSessions(Api api) {
    String name = unique("disabled");
    var user = api.createUser(name, PASSWORD, "user");
    String session = api.formLogin(name, PASSWORD, "/account");
    assertThat(api.get("/api/v1/me", "Cookie", "__Host-portcullis=" + session).status())
        .isEqualTo(200);
    api.post(
        "/api/v1/admin/users/" + user.getString("id") + "/disable",
        null,
        "Authorization",
        bearer(api.adminToken()));
    assertThat(api.get("/api/v1/me", "Cookie", "__Host-portcullis=" + session).status())
        .isEqualTo(401);
  }

  @Test
  void pagesSendStrictSecurityHeaders(Api api) {
    var login = api.get("/login");
    assertThat(login.header("Content-Security-Policy"))
        .contains("frame-ancestors 'none'")
        .contains("script-src 'self'")
        .doesNotContain("unsafe-inline");
    assertThat(login.header("X-Frame-Options")).isEqualTo("DENY");
    assertThat(login.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(login.header("Referrer-Policy")).isEqualTo("same-origin");
    assertThat(login.body()).doesNotContain("<script>").doesNotContain("jsessionid");
    String name = unique("headers");
    api.createUser(name, PASSWORD, "user");
    var account =
        api.get(
            "/account", "Cookie", "__Host-portcullis=" + api.formLogin(name, PASSWORD, "/account"));
    assertThat(account.status()).isEqualTo(200);
    assertThat(account.header("Cache-Control")).contains("no-store");
    assertThat(account.body()).contains(name);
  }

  @Test
  void corsIsClosedExceptForConfiguredOriginsAndNeverWithCredentials(Api api) {
    var allowed =
        api.send(
            HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/v1/me"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()),
            "Origin",
            "https://app.example",
            "Access-Control-Request-Method",
            "GET",
            "Access-Control-Request-Headers",
            "authorization");
    assertThat(allowed.status()).isEqualTo(204);
    assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example");
    assertThat(allowed.header("Access-Control-Allow-Headers")).contains("Authorization");
    assertThat(allowed.header("Access-Control-Allow-Credentials")).isNull();
    var other =
        api.send(
            HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/v1/me"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()),
            "Origin",
            "https://evil.example",
            "Access-Control-Request-Method",
            "GET");
    assertThat(other.header("Access-Control-Allow-Origin")).isNull();
    var simple =
        api.get(
            "/api/v1/me",
            "Origin",
            "https://evil.example",
            "Authorization",
            bearer(api.adminToken()));
    assertThat(simple.status()).isEqualTo(200);
    assertThat(simple.header("Access-Control-Allow-Origin")).isNull();
  }

  @Test
  void aLoginFormWithAStaleViewStateStartsOverInsteadOfFailing(Api api) {
    var reply =
        api.send(
            HttpRequest.newBuilder(URI.create(api.baseUrl() + "/login"))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "login=login&login%3Ausername=a"
                            + "&login%3Apassword=b&login%3Asubmit=Sign+in&jakarta.faces.ViewState=1%3A2")),
            "Content-Type",
            "application/x-www-form-urlencoded");
    assertThat(reply.status()).isEqualTo(303);
    assertThat(reply.header("Location")).endsWith("/login");
  }
}
