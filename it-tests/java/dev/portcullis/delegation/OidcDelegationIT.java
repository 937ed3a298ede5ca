package dev.portcullis.delegation;

import static dev.portcullis.delegation.OAuthClients.array;
import static dev.portcullis.delegation.OAuthClients.registration;
import static dev.portcullis.it.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.delegation.OAuthClients.Client;
import dev.portcullis.it.Api;
import dev.portcullis.it.PortcullisServer;
import dev.portcullis.it.browser.Browsers;
import jakarta.json.JsonValue;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 16: a legacy Jakarta EE application delegates its login to Portcullis with Jakarta Security
 * 3's {@code @OpenIdAuthenticationMechanismDefinition} (Soteria, on a second Payara Micro), driven
 * by real headless Chromium — SPEC 3.6 as the client that applications really use sees it.
 *
 * <p>The application ({@code dev.portcullis.delegation.app.oidc}) is registered as a confidential
 * {@code client_secret_post} client exempt from PKCE (Soteria sends none), asking for {@code
 * groups}. It runs at {@code http://localhost:<port>/oidc}, Portcullis at {@code
 * http://127.0.0.1:<port>}: two sites, each with its own cookies, as in production. Soteria fails
 * every rejected sign-in with an empty 500 on the callback, so the screenshot of a failed test
 * (under {@code target/screenshots/}) and the application server's log tell why.
 */
@ExtendWith(DelegationProvider.class)
class OidcDelegationIT {

  @RegisterExtension static final Browsers BROWSERS = new Browsers();

  @RegisterExtension
  static final AppServerExtension APP = new AppServerExtension("delegation-oidc-app");

  private static final String PASSWORD = "Legacy-Oidc-Pass1";
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static String provider;
  private static String app;

  @BeforeAll
  static void start(Api api, PortcullisServer server) {
    provider = server.baseUrl();
    int port = AppServer.freePort();
    app = "http://localhost:" + port + "/oidc";
    Client client =
        OAuthClients.register(
            api,
            registration(unique("legacy-oidc"), "Legacy OIDC application", "authorization_code")
                .add("redirect_uris", array(app + "/callback"))
                .add("post_logout_redirect_uris", array(app + "/signed-out"))
                .add("token_endpoint_auth_method", "client_secret_post")
                .add("scopes", array("openid", "profile", "email", "groups"))
                .add("require_pkce", false)
                .add("consent", "implicit"));
    APP.start(
        port,
        Map.of(
            "oidc.provider-uri", server.issuer(),
            "oidc.client-id", client.id(),
            "oidc.client-secret", client.secret()),
        TestApps.oidc(APP.dir()));
  }

  @Test
  void signsInThroughPortcullisWithItsRolesAndSignsOutOfBoth(Api api) {
    String name = unique("legacy");
    api.createUser(name, PASSWORD, "user");
    WebDriver browser = BROWSERS.open();

    browser.get(app + "/protected");
    awaitUrl(browser, provider + "/login");
    assertThat(OAuthClients.query(URI.create(browser.getCurrentUrl()).getRawQuery()).get("next"))
        .as("Portcullis will continue the authorization request after sign-in")
        .startsWith("/oauth2/authorize?");

    signIn(browser, name, PASSWORD);
    awaitUrl(browser, app + "/protected");
    assertThat(text(browser, "caller")).as("the caller name is preferred_username").isEqualTo(name);
    assertThat(text(browser, "role-user")).as("groups became roles").isEqualTo("true");
    assertThat(text(browser, "role-admin")).isEqualTo("false");

    browser.get(provider + "/account");
    awaitUrl(browser, provider + "/account");
    assertThat(browserSessions(api, name)).as("one Portcullis session: single sign-on").isOne();
    browser.get(app + "/protected");
    assertThat(text(browser, "caller")).as("the application keeps its own session").isEqualTo(name);

    browser.findElement(By.id("logout")).click();
    awaitUrl(browser, app + "/signed-out");
    assertThat(text(browser, "caller")).isEmpty();
    assertThat(browserSessions(api, name))
        .as("/oauth2/logout with the id_token_hint ended the Portcullis session, unasked")
        .isZero();

    browser.get(provider + "/account");
    awaitUrl(browser, provider + "/login");
    browser.get(app + "/protected");
    awaitUrl(browser, provider + "/login");
  }

  @Test
  void anAdministratorHasBothRoles(Api api) {
    String name = unique("legacy-admin");
    api.createUser(name, PASSWORD, "user", "admin");
    WebDriver browser = BROWSERS.open();

    browser.get(app + "/protected");
    awaitUrl(browser, provider + "/login");
    signIn(browser, name, PASSWORD);
    awaitUrl(browser, app + "/protected");
    assertThat(text(browser, "caller")).isEqualTo(name);
    assertThat(text(browser, "role-user")).isEqualTo("true");
    assertThat(text(browser, "role-admin")).isEqualTo("true");
  }

  /** The user's live browser sessions at Portcullis, seen through the user's own API token. */
  private static long browserSessions(Api api, String name) {
    String token = api.login(name, PASSWORD).getString("access_token");
    var reply = api.get("/api/v1/sessions", "Authorization", Api.bearer(token));
    assertThat(reply.status()).isEqualTo(200);
    return reply.json().getJsonArray("items").getValuesAs(JsonValue::asJsonObject).stream()
        .filter(s -> s.getString("kind").equals("browser"))
        .count();
  }

  private static void signIn(WebDriver browser, String username, String password) {
    browser.findElement(By.id("login:username")).sendKeys(username);
    browser.findElement(By.id("login:password")).sendKeys(password);
    browser.findElement(By.id("login:submit")).click();
  }

  /** Waits until the browser shows {@code url} (scheme, host, port and path; any query). */
  private static void awaitUrl(WebDriver browser, String url) {
    new WebDriverWait(browser, WAIT)
        .withMessage(() -> "expected " + url + " but the browser is at " + browser.getCurrentUrl())
        .until(d -> withoutQuery(d.getCurrentUrl()).equals(url));
  }

  private static String withoutQuery(String url) {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query);
  }

  private static String text(WebDriver browser, String id) {
    return browser.findElement(By.id(id)).getText().strip();
  }
}
