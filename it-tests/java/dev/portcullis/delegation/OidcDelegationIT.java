package dev.portcullis.delegation;

import static dev.portcullis.delegation.BrowserSteps.awaitUrl;
import static dev.portcullis.delegation.BrowserSteps.browserSessions;
import static dev.portcullis.delegation.BrowserSteps.signIn;
import static dev.portcullis.delegation.BrowserSteps.text;
import static dev.portcullis.delegation.OAuthClients.array;
import static dev.portcullis.delegation.OAuthClients.registration;
import static dev.portcullis.it.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.delegation.OAuthClients.Client;
import dev.portcullis.it.Api;
import dev.portcullis.it.PortcullisServer;
import dev.portcullis.it.browser.Browsers;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

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
    assertThat(browserSessions(api, name, PASSWORD))
        .as("one Portcullis session: single sign-on")
        .isOne();
    browser.get(app + "/protected");
    assertThat(text(browser, "caller")).as("the application keeps its own session").isEqualTo(name);

    browser.findElement(By.id("logout")).click();
    awaitUrl(browser, app + "/signed-out");
    assertThat(text(browser, "caller")).isEmpty();
    assertThat(browserSessions(api, name, PASSWORD))
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
}
