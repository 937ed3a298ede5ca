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
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * Issue 16: what {@link OidcDelegationIT} does for Jakarta Security, with WildFly 39's built-in
 * OpenID Connect client ({@code elytron-oidc-client}: {@code WEB-INF/oidc.json} and the {@code
 * OIDC} auth-method, {@code dev.portcullis.delegation.app.elytron}) on a second WildFly, in real
 * Chromium. Runs only with {@code -Dit.server=wildfly}, which provisions WildFly.
 *
 * <p>The client is registered as Elytron uses it: confidential with {@code client_secret_basic} and
 * PKCE ({@code "enable-pkce": true}, so Portcullis' default {@code require_pkce} stays on); its
 * redirect URI is the protected page itself (Elytron sends the requested URL). What WildFly 39
 * (Elytron 2.8, default stability) does differently from Jakarta Security, checked against its code
 * and a mock provider:
 *
 * <ul>
 *   <li>it asks for {@code scope=openid} only ({@code "scope"} in {@code oidc.json} needs {@code
 *       --stability=preview}), so the ID token has no {@code preferred_username} and the caller is
 *       Portcullis' stable user id ({@code sub});
 *   <li>it reads roles only from an access token's {@code roles}, {@code realm_access} or {@code
 *       resource_access} claims, never {@code groups}: this application sees no roles, so {@code
 *       web.xml} requires a signed-in user ({@code **}) and the test checks no role;
 *   <li>it has no RP-initiated logout: the application's logout servlet redirects to the {@code
 *       end_session_endpoint} with {@code id_token_hint} itself (on logout Elytron also POSTs a
 *       Keycloak-style back-channel request to that endpoint, which must not break it);
 *   <li>it uses only JWKS keys with {@code "use": "sig"}, and the access token must be a JWT.
 * </ul>
 */
@EnabledIfSystemProperty(
    named = "it.server",
    matches = "wildfly",
    disabledReason =
        "WildFly's OIDC client runs with -Dit.server=wildfly, which provisions WildFly")
@ExtendWith(DelegationProvider.class)
class ElytronOidcDelegationIT {

  @RegisterExtension static final Browsers BROWSERS = new Browsers();

  @RegisterExtension
  static final AppServerExtension APP = new AppServerExtension("delegation-elytron-app");

  private static final String PASSWORD = "Legacy-Elytron-Pass1";

  private static String provider;
  private static String app;

  @BeforeAll
  static void start(Api api, PortcullisServer server) {
    provider = server.baseUrl();
    int port = AppServer.freePort();
    app = "http://localhost:" + port + "/elytron";
    Client client =
        OAuthClients.register(
            api,
            registration(
                    unique("legacy-elytron"), "Legacy WildFly application", "authorization_code")
                .add("redirect_uris", array(app + "/protected"))
                .add("post_logout_redirect_uris", array(app + "/signed-out"))
                .add("token_endpoint_auth_method", "client_secret_basic")
                .add("scopes", array("openid", "profile", "email", "groups"))
                .add("consent", "implicit"));
    APP.startWildFly(
        port,
        Map.of(),
        TestApps.elytronOidc(APP.dir(), server.issuer(), client.id(), client.secret()));
  }

  @Test
  void signsInThroughPortcullisAndSignsOutOfBoth(Api api) {
    String name = unique("legacy-wildfly");
    String userId = api.createUser(name, PASSWORD, "user").getString("id");
    WebDriver browser = BROWSERS.open();

    browser.get(app + "/protected");
    awaitUrl(browser, provider + "/login");
    signIn(browser, name, PASSWORD);
    awaitUrl(browser, app + "/protected");
    assertThat(text(browser, "caller")).as("sub: Elytron asked for openid only").isEqualTo(userId);
    assertThat(text(browser, "role-user"))
        .as("roles from the access token's roles claim")
        .isEqualTo("true");
    assertThat(text(browser, "role-admin")).isEqualTo("false");
    assertThat(browserSessions(api, name, PASSWORD)).isOne();

    browser.findElement(By.id("logout")).click();
    awaitUrl(browser, app + "/signed-out");
    assertThat(text(browser, "caller")).isEmpty();
    assertThat(browserSessions(api, name, PASSWORD))
        .as("/oauth2/logout with the id_token_hint ended the Portcullis session, unasked")
        .isZero();
    browser.get(app + "/protected");
    awaitUrl(browser, provider + "/login");
  }
}
