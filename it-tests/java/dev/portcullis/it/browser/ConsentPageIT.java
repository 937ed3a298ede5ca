package dev.portcullis.it.browser;

import static dev.portcullis.it.Api.formEncode;
import static dev.portcullis.it.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import dev.portcullis.it.Api;
import dev.portcullis.it.PortcullisServer;
import dev.portcullis.it.SharedServer;
import jakarta.json.Json;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The consent page {@code /consent} and the account page's "Apps with access" (SPEC 3.5, 3.6).
 *
 * <p>The code-flow tests ({@link #approvingGivesTheClientACodeAndTheAccountPageCanWithdrawIt},
 * {@link #denyingSendsTheClientAccessDenied}) go through the authorization endpoint and the admin
 * clients API, which other parts of the OAuth provider bring: until they are merged those tests
 * fail (404 on {@code /oauth2/authorize} or {@code /api/v1/admin/clients}). The other tests need
 * only the page: who may see it, what it does with a {@code continue} that is not a local
 * authorization request, cross-site posts, and the empty "Apps with access".
 */
@ExtendWith(SharedServer.class)
class ConsentPageIT {

  @RegisterExtension static final Browsers BROWSERS = new Browsers();

  private static final String COOKIE = "__Host-portcullis";
  private static final String PASSWORD = "Consent-Page-Pass-1";
  private static final String APP_NAME = "Consent <IT> App";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Pattern VIEW_STATE =
      Pattern.compile("name=\"jakarta.faces.ViewState\"[^>]*value=\"([^\"]+)\"");
  private static final String LOCAL_REQUEST =
      "/oauth2/authorize?response_type=code&client_id=nobody-registered&scope=openid&state=s1";

  private static String baseUrl;
  private static OtherSite clientSite;

  @BeforeAll
  static void start(PortcullisServer server) {
    baseUrl = server.baseUrl();
    clientSite = OtherSite.start();
    clientSite.page("/cb", "<!doctype html><title>client callback</title><p>back at the client");
  }

  @AfterAll
  static void stop() {
    if (clientSite != null) {
      clientSite.close();
    }
  }

  // --- the page on its own ---

  @Test
  void aFreshUserHasNoAppsWithAccess(Api api) {
    String name = user(api);
    WebDriver browser = BROWSERS.open();
    browser.get(baseUrl + "/login");
    signIn(browser, name);
    awaitPath(browser, "/account");
    assertThat(browser.findElement(By.id("apps-title")).getText()).isEqualTo("Apps with access");
    assertThat(browser.findElement(By.id("apps-empty")).getText())
        .isEqualTo("No apps have access to your account.");
    assertThat(browser.findElements(By.cssSelector("tr.app"))).isEmpty();
    assertThat(browser.findElements(By.cssSelector("[data-action='revoke-app']"))).isEmpty();
  }

  @Test
  void visitorsWithoutABrowserSessionAreSentToSignInWithTheRequestKept(Api api) {
    String name = user(api);
    String token = api.login(name, PASSWORD).getString("access_token");
    String adminKey = adminApiKey(api);
    String page = "/consent?continue=" + encode(LOCAL_REQUEST);

    for (String[] credential :
        List.of(
            new String[0],
            new String[] {"Authorization", Api.bearer(token)},
            new String[] {"X-API-Key", adminKey})) {
      var reply = api.get(page, credential);
      String who = credential.length == 0 ? "anonymous" : credential[0];
      assertThat(reply.status()).as(who).isEqualTo(303);
      URI location = URI.create(baseUrl).resolve(reply.header("Location"));
      assertThat(location.getPath()).as(who).isEqualTo("/login");
      assertThat(query(location.getRawQuery()))
          .as("%s: back to the consent page, continue and all, after signing in", who)
          .containsEntry("next", page);
      assertThat(reply.body()).doesNotContain("consent-form");
    }
  }

  @Test
  void aContinueThatIsNotALocalAuthorizationRequestIsAnErrorAndNeverARedirect(Api api) {
    String cookie = api.formLogin(user(api), PASSWORD, "/account");
    assertThat(cookie).isNotNull();
    for (String bad :
        List.of(
            "https://evil.example/oauth2/authorize?client_id=x",
            "//evil.example/oauth2/authorize?client_id=x",
            "/\\evil.example/oauth2/authorize?client_id=x",
            "/oauth2/authorizeX?client_id=x",
            "/oauth2/authorize/../../account?client_id=x",
            "%2Foauth2%2Fauthorize%3Fclient_id%3Dx",
            "/oauth2/authorize?client_id=x&consent=approved",
            "/oauth2/authorize?client_id=x&client_id=y",
            "/account",
            "")) {
      var reply = api.get("/consent?continue=" + encode(bad), "Cookie", COOKIE + "=" + cookie);
      assertThat(reply.status()).as(bad).isEqualTo(400);
      assertThat(reply.header("Location")).as(bad).isNull();
      assertThat(reply.body())
          .as(bad)
          .contains("id=\"consent-error\"")
          .contains("This sign-in request is not valid.")
          .doesNotContain("consent-form");
    }
    var missing = api.get("/consent", "Cookie", COOKIE + "=" + cookie);
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.body()).contains("This sign-in request is not valid.");

    var unknown =
        api.get("/consent?continue=" + encode(LOCAL_REQUEST), "Cookie", COOKIE + "=" + cookie);
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.body()).contains("is not registered here").doesNotContain("consent-form");
    assertThat(unknown.header("X-Frame-Options")).isEqualToIgnoringCase("DENY");
    assertThat(unknown.header("Cache-Control")).contains("no-store");
    assertThat(unknown.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
  }

  @Test
  void aPostFromAnotherSiteOrWithoutTheSessionGrantsNothing(Api api) {
    String name = user(api);
    String cookie = api.formLogin(name, PASSWORD, "/account");
    var page =
        api.get("/consent?continue=" + encode(LOCAL_REQUEST), "Cookie", COOKIE + "=" + cookie);
    var state = VIEW_STATE.matcher(page.body());
    String viewState = state.find() ? state.group(1) : "forged";
    String form =
        "consent-form=consent-form&continue="
            + formEncode(LOCAL_REQUEST)
            + "&consent-form%3Aapprove=Approve&jakarta.faces.ViewState="
            + formEncode(viewState);

    var crossSite =
        api.send(
            post("/consent", form),
            "Content-Type",
            "application/x-www-form-urlencoded",
            "Cookie",
            COOKIE + "=" + cookie + "; JSESSIONID=" + Api.cookie(page, "JSESSIONID"),
            "Origin",
            "https://evil.example",
            "Sec-Fetch-Site",
            "cross-site");
    assertThat(crossSite.status()).isEqualTo(403);
    assertThat(crossSite.code()).isEqualTo("CSRF_REJECTED");

    String token = api.login(name, PASSWORD).getString("access_token");
    var withToken =
        api.send(
            post("/consent", form),
            "Content-Type",
            "application/x-www-form-urlencoded",
            "Authorization",
            Api.bearer(token),
            "Origin",
            baseUrl);
    assertThat(withToken.status())
        .as("a bearer token is not a browser session: sent to sign in")
        .isEqualTo(303);
    assertThat(withToken.header("Location")).contains("/login?next=");
  }

  // --- the code flow (needs /oauth2/authorize and /api/v1/admin/clients) ---

  @Test
  void approvingGivesTheClientACodeAndTheAccountPageCanWithdrawIt(Api api) {
    var client = registerClient(api);
    String name = user(api);
    WebDriver browser = BROWSERS.open();

    var flow = new Flow(client);
    browser.get(flow.authorizeUrl());
    awaitPath(browser, "/login");
    signIn(browser, name);
    awaitPath(browser, "/consent");
    assertThat(browser.findElement(By.id("consent-client")).getText()).isEqualTo(APP_NAME);
    assertThat(browser.findElement(By.id("consent-user")).getText()).isEqualTo(name);
    assertThat(
            browser.findElements(By.cssSelector("#consent-scopes li")).stream()
                .map(WebElement::getText)
                .toList())
        .containsExactly("Sign you in", "Your e-mail address");
    Browsers.screenshot(browser, "consent");

    browser.findElement(By.cssSelector("[data-action='approve']")).click();
    var callback = awaitCallback(browser, client);
    assertThat(callback).containsKey("code").containsEntry("state", flow.state);
    assertThat(callback.get("code")).isNotBlank();
    String refreshToken = flow.redeem(api, callback.get("code"));

    // approved once: the next authorization goes straight back to the client
    var again = new Flow(client);
    browser.get(again.authorizeUrl());
    var second = awaitCallback(browser, client);
    assertThat(second).containsKey("code").containsEntry("state", again.state);

    browser.get(baseUrl + "/account");
    var row = browser.findElement(By.cssSelector("tr.app[data-client-id='" + client.id + "']"));
    assertThat(row.getText()).contains(APP_NAME).contains("Sign you in");
    assertThat(row.getDomAttribute("data-scopes")).isEqualTo("email openid");
    row.findElement(By.cssSelector("[data-action='revoke-app']")).click();
    new WebDriverWait(browser, WAIT).until(visibilityOfElementLocated(By.id("apps-empty")));
    assertThat(browser.findElements(By.cssSelector("tr.app"))).isEmpty();

    var refresh =
        api.send(
            post(
                "/oauth2/token",
                "grant_type=refresh_token&refresh_token=" + formEncode(refreshToken)),
            "Content-Type",
            "application/x-www-form-urlencoded",
            "Authorization",
            client.basic());
    assertThat(refresh.status())
        .as("withdrawing the consent ended the client's tokens for the user")
        .isEqualTo(400);
    assertThat(refresh.json().getString("error")).isEqualTo("invalid_grant");

    var afterRevoke = new Flow(client);
    browser.get(afterRevoke.authorizeUrl());
    awaitPath(browser, "/consent");
  }

  @Test
  void denyingSendsTheClientAccessDenied(Api api) {
    var client = registerClient(api);
    String name = user(api);
    WebDriver browser = BROWSERS.open();
    var flow = new Flow(client);
    browser.get(flow.authorizeUrl());
    awaitPath(browser, "/login");
    signIn(browser, name);
    awaitPath(browser, "/consent");

    browser.findElement(By.cssSelector("[data-action='deny']")).click();
    var callback = awaitCallback(browser, client);
    assertThat(callback).containsEntry("error", "access_denied").containsEntry("state", flow.state);
    assertThat(callback).doesNotContainKey("code");

    browser.get(baseUrl + "/account");
    assertThat(browser.findElements(By.cssSelector("tr.app"))).as("nothing granted").isEmpty();
  }

  // --- helpers ---

  /** A registered client: id, secret and its redirect URI on the client site. */
  private record Client(String id, String secret, String redirectUri) {
    String basic() {
      return "Basic "
          + Base64.getEncoder()
              .encodeToString(
                  (formEncode(id) + ":" + formEncode(secret)).getBytes(StandardCharsets.UTF_8));
    }
  }

  /** One authorization request with its own state, nonce and PKCE verifier. */
  private static final class Flow {
    final Client client;
    final String state = random();
    final String nonce = random();
    final String verifier = random() + random();

    Flow(Client client) {
      this.client = client;
    }

    String authorizeUrl() {
      return baseUrl
          + "/oauth2/authorize?response_type=code&client_id="
          + encode(client.id)
          + "&redirect_uri="
          + encode(client.redirectUri)
          + "&scope="
          + encode("openid email")
          + "&state="
          + state
          + "&nonce="
          + nonce
          + "&code_challenge="
          + challenge(verifier)
          + "&code_challenge_method=S256";
    }

    /** Redeems {@code code} at the token endpoint; returns the refresh token. */
    String redeem(Api api, String code) {
      var reply =
          api.send(
              post(
                  "/oauth2/token",
                  "grant_type=authorization_code&code="
                      + formEncode(code)
                      + "&redirect_uri="
                      + formEncode(client.redirectUri)
                      + "&code_verifier="
                      + formEncode(verifier)),
              "Content-Type",
              "application/x-www-form-urlencoded",
              "Authorization",
              client.basic());
      assertThat(reply.status()).as(reply.body()).isEqualTo(200);
      assertThat(reply.json().getString("access_token")).isNotBlank();
      return reply.json().getString("refresh_token");
    }
  }

  private static Client registerClient(Api api) {
    String id = unique("consent-it");
    String redirect = clientSite.url("127.0.0.1", "/cb");
    var body =
        Json.createObjectBuilder()
            .add("client_id", id)
            .add("name", APP_NAME)
            .add("redirect_uris", Json.createArrayBuilder().add(redirect))
            .add(
                "grant_types",
                Json.createArrayBuilder().add("authorization_code").add("refresh_token"))
            .add("token_endpoint_auth_method", "client_secret_basic")
            .add("scopes", Json.createArrayBuilder().add("openid").add("email").add("profile"))
            .add("require_pkce", true)
            .add("consent", "required")
            .build()
            .toString();
    var reply =
        api.post("/api/v1/admin/clients", body, "Authorization", Api.bearer(api.adminToken()));
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return new Client(id, reply.json().getString("client_secret"), redirect);
  }

  /** Waits until the browser is back at the client's redirect URI; returns its query. */
  private static Map<String, String> awaitCallback(WebDriver browser, Client client) {
    new WebDriverWait(browser, WAIT)
        .withMessage(() -> "not back at the client but at " + browser.getCurrentUrl())
        .until(d -> d.getCurrentUrl().startsWith(client.redirectUri + "?"));
    return query(URI.create(browser.getCurrentUrl()).getRawQuery());
  }

  private static String adminApiKey(Api api) {
    var reply =
        api.post(
            "/api/v1/keys",
            "{\"name\":\"consent-it\",\"scopes\":[\"admin\",\"user\"]}",
            "Authorization",
            Api.bearer(api.adminToken()));
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply.json().getString("key");
  }

  private static String user(Api api) {
    String name = unique("consent");
    api.createUser(name, PASSWORD, "user");
    return name;
  }

  private static void signIn(WebDriver browser, String username) {
    browser.findElement(By.id("login:username")).sendKeys(username);
    browser.findElement(By.id("login:password")).sendKeys(PASSWORD);
    browser.findElement(By.id("login:submit")).click();
  }

  private static void awaitPath(WebDriver browser, String path) {
    new WebDriverWait(browser, WAIT)
        .withMessage(() -> "expected " + path + " but the browser is at " + browser.getCurrentUrl())
        .until(d -> path.equals(URI.create(d.getCurrentUrl()).getPath()));
  }

  private static HttpRequest.Builder post(String path, String form) {
    return HttpRequest.newBuilder(URI.create(baseUrl + path))
        .POST(HttpRequest.BodyPublishers.ofString(form));
  }

  private static Map<String, String> query(String rawQuery) {
    var parameters = new HashMap<String, String>();
    if (rawQuery != null) {
      for (String pair : rawQuery.split("&")) {
        int eq = pair.indexOf('=');
        parameters.put(
            URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return parameters;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String random() {
    var bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String challenge(String verifier) {
    try {
      var digest =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
