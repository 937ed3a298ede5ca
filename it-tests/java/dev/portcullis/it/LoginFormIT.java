package dev.portcullis.it;

import static dev.portcullis.it.Api.bearer;
import static dev.portcullis.it.Api.formEncode;
import static dev.portcullis.it.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonValue;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 13, item 14 (pages): the container session behind Faces' view state is a {@code
 * SameSite=Lax} cookie, and the login form checks where it was submitted from — a form posted from
 * another site is refused before any password is checked (login CSRF), while this site's own
 * origin, and the configured issuer's origin a TLS-terminating proxy presents, are accepted here
 * and by the JSON API's CSRF check alike.
 */
@ExtendWith(SharedServer.class)
class LoginFormIT {

  private static final String PASSWORD = "Login-Form-Pass1";
  private static final Pattern VIEW_STATE =
      Pattern.compile("name=\"jakarta.faces.ViewState\"[^>]*value=\"([^\"]+)\"");
  private static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"");

  /** Submits the login form of a fresh login page, with {@code headers} added to the post. */
  private static Api.Reply submit(Api api, String username, String password, String... headers) {
    var page = api.get("/login");
    assertThat(page.status()).isEqualTo(200);
    var state = VIEW_STATE.matcher(page.body());
    assertThat(state.find()).isTrue();
    String form =
        "login=login&login%3Anext=%2Faccount&login%3Ausername="
            + formEncode(username)
            + "&login%3Apassword="
            + formEncode(password)
            + "&login%3Asubmit=Sign+in&jakarta.faces.ViewState="
            + formEncode(state.group(1));
    var all =
        new ArrayList<>(
            List.of(
                "Content-Type",
                "application/x-www-form-urlencoded",
                "Cookie",
                "JSESSIONID=" + Api.cookie(page, "JSESSIONID")));
    all.addAll(List.of(headers));
    return api.send(
        HttpRequest.newBuilder(URI.create(api.baseUrl() + "/login"))
            .POST(HttpRequest.BodyPublishers.ofString(form)),
        all.toArray(String[]::new));
  }

  private static long browserSessions(Api api, String token) {
    return api
        .get("/api/v1/sessions", "Authorization", bearer(token))
        .json()
        .getJsonArray("items")
        .getValuesAs(JsonValue::asJsonObject)
        .stream()
        .filter(s -> s.getString("kind").equals("browser"))
        .count();
  }

  @Test
  void theContainerSessionCookieIsSameSiteLax(Api api) {
    var page = api.get("/login");
    String jsession = Api.setCookieHeader(page, "JSESSIONID");
    assertThat(jsession).as("the login page starts the Faces view state's session").isNotNull();
    assertThat(jsession.toLowerCase())
        .contains("samesite=lax")
        .contains("secure")
        .contains("httponly")
        .doesNotContain("domain=");
  }

  @Test
  void aLoginFormPostedFromAnotherSiteIsRefusedAndStartsNoSession(Api api) throws IOException {
    String name = unique("login-csrf");
    api.createUser(name, PASSWORD, "user");
    String token = api.login(name, PASSWORD).getString("access_token");

    for (String[] crossSite :
        new String[][] {
          {"Origin", "https://evil.example"},
          {"Sec-Fetch-Site", "cross-site"},
          {"Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"},
          {"Sec-Fetch-Site", "same-site"}
        }) {
      var reply = submit(api, name, PASSWORD, crossSite);
      assertThat(reply.status()).as(String.join(" ", crossSite)).isEqualTo(403);
      assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
      assertThat(reply.code()).isEqualTo("CSRF_REJECTED");
      assertThat(Api.setCookieHeader(reply, "__Host-portcullis")).isNull();
      assertThat(reply.body()).doesNotContain(PASSWORD);
    }
    assertThat(browserSessions(api, token)).as("no session was started").isZero();
    assertThat(Files.readString(api.server().logFile()))
        .as("the refusal is audited")
        .contains("audit type=CSRF_REJECTED outcome=FAILURE reason=\"CROSS_ORIGIN\"")
        .contains("detail=\"endpoint=login");
  }

  @Test
  void thisSitesOwnFormsAreAcceptedAsBrowsersSendThem(Api api) {
    String name = unique("login-origin");
    api.createUser(name, PASSWORD, "user");
    for (String[] sameSite :
        new String[][] {
          {},
          {"Origin", api.baseUrl(), "Sec-Fetch-Site", "same-origin"},
          // what a browser sends under a stricter referrer policy (no-referrer)
          {"Origin", "null", "Sec-Fetch-Site", "same-origin"},
          // behind a TLS-terminating proxy: the public origin is the issuer's
          {"Origin", api.server().issuer(), "Sec-Fetch-Site", "same-origin"}
        }) {
      var reply = submit(api, name, PASSWORD, sameSite);
      assertThat(reply.status()).as(String.join(" ", sameSite)).isIn(302, 303);
      assertThat(Api.setCookieHeader(reply, "__Host-portcullis")).isNotNull();
    }
  }

  @Test
  void theJsonApisCsrfCheckAcceptsTheIssuersOriginToo(Api api) {
    String name = unique("issuer-origin");
    api.createUser(name, PASSWORD, "user");
    String session = api.formLogin(name, PASSWORD, "/account");
    String cookie = "__Host-portcullis=" + session;
    var account = api.get("/account", "Cookie", cookie);
    var csrf = CSRF.matcher(account.body());
    assertThat(csrf.find()).isTrue();
    String body = "{\"name\":\"via proxy\",\"scopes\":[\"user\"]}";
    var viaProxy =
        api.post(
            "/api/v1/keys",
            body,
            "Cookie",
            cookie,
            "X-CSRF-Token",
            csrf.group(1),
            "Origin",
            api.server().issuer());
    assertThat(viaProxy.status()).as(viaProxy.body()).isEqualTo(201);
    var elsewhere =
        api.post(
            "/api/v1/keys",
            body,
            "Cookie",
            cookie,
            "X-CSRF-Token",
            csrf.group(1),
            "Origin",
            "https://evil.example");
    assertThat(elsewhere.status()).isEqualTo(403);
    assertThat(elsewhere.code()).isEqualTo("CSRF_REJECTED");
  }
}
