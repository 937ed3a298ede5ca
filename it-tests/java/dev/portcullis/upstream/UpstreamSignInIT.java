package dev.portcullis.upstream;

import static dev.portcullis.delegation.OAuthClients.array;
import static dev.portcullis.delegation.OAuthClients.registration;
import static dev.portcullis.upstream.CallbackSteps.authorize;
import static dev.portcullis.upstream.CallbackSteps.callback;
import static dev.portcullis.upstream.CallbackSteps.events;
import static dev.portcullis.upstream.CallbackSteps.sessionCookie;
import static dev.portcullis.upstream.CallbackSteps.start;
import static dev.portcullis.upstream.CallbackSteps.users;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.delegation.DelegationProvider;
import dev.portcullis.delegation.OAuthClients;
import dev.portcullis.it.Api;
import dev.portcullis.it.PortcullisServer;
import dev.portcullis.it.browser.Browsers;
import dev.portcullis.upstream.ScriptedProvider.Answer;
import jakarta.json.Json;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 17 through real headless Chromium: "Sign in with …" on Portcullis' sign-in page against
 * {@code no.nav.security:mock-oauth2-server} (its own interactive login page, filled in by the
 * browser) and the GitHub-shaped stub, started on loopback by {@link UpstreamFixtures}: one button
 * per provider (screenshot {@code target/screenshots/upstream-sign-in-page.png}), first sign-in
 * with provisioning on and off, linking from the account page, a link taken by another account,
 * unlinking (and refusing to unlink the last way in), and what an OAuth client of Portcullis learns
 * about such a sign-in ({@code amr: ["fed"]}).
 */
@ExtendWith(DelegationProvider.class)
class UpstreamSignInIT {

  @RegisterExtension static final Browsers BROWSERS = new Browsers();

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String PASSWORD = "Upstream-Local-Pass1";

  private static PortcullisServer server;
  private static UpstreamFixtures upstream;
  private static String portcullis;

  @BeforeAll
  static void fixtures(PortcullisServer portcullisServer, UpstreamFixtures fixtures) {
    server = portcullisServer;
    upstream = fixtures;
    portcullis = portcullisServer.baseUrl();
  }

  @Test
  void theSignInPageShowsOneButtonPerProvider() {
    WebDriver browser = BROWSERS.open();
    browser.get(portcullis + "/login");
    try {
      List<WebElement> buttons =
          browser.findElements(By.cssSelector("#upstream-sign-in a.upstream"));
      assertThat(buttons.stream().map(b -> b.getAttribute("id")))
          .containsExactlyElementsOf(
              UpstreamFixtures.PROVIDERS.stream().map(id -> "upstream-" + id).toList());
      assertThat(buttons.get(0).getText()).contains("Mock ID");
      assertThat(buttons.get(4).getText()).contains("GitHub");
      for (int i = 0; i < buttons.size(); i++) {
        assertThat(URI.create(buttons.get(i).getAttribute("href")).getPath())
            .isEqualTo("/login/oauth2/start/" + UpstreamFixtures.PROVIDERS.get(i));
      }
      assertThat(browser.findElement(By.id("login:username")).isDisplayed()).isTrue();
    } finally {
      Browsers.screenshot(browser, "upstream-sign-in-page");
    }
  }

  @Test
  void aFirstSignInWithProvisioningCreatesTheAccountAndSignsIn(Api api) {
    String name = Api.unique("mockuser");
    String subject = "mock-sub-" + name;
    int before = users(api);
    WebDriver browser = BROWSERS.open();

    browser.get(portcullis + "/login?next=/account");
    browser.findElement(By.id("upstream-mock")).click();
    signInAtMockServer(browser, "mock", subject, name, name + "@mock.example");
    awaitPath(browser, "/account");

    Cookie session = browser.manage().getCookieNamed(CallbackSteps.SESSION);
    assertThat(session).as("signed in").isNotNull();
    assertThat(session.isHttpOnly()).isTrue();
    assertThat(session.isSecure()).isTrue();
    assertThat(browser.manage().getCookieNamed(CallbackSteps.BINDING))
        .as("the binding cookie is gone after use")
        .isNull();
    var me = me(api, session.getValue());
    assertThat(me.getString("username")).isEqualTo(name);
    assertThat(users(api)).isEqualTo(before + 1);
    assertThat(browser.getPageSource()).doesNotContain(subject + "@");
  }

  @Test
  void withoutProvisioningAnUnlinkedAccountIsRefused(Api api) {
    String name = Api.unique("corpuser");
    int before = users(api);
    WebDriver browser = BROWSERS.open();

    browser.get(portcullis + "/login");
    browser.findElement(By.id("upstream-corp")).click();
    signInAtMockServer(browser, "corp", "corp-sub-" + name, name, name + "@corp.example");
    awaitPath(browser, "/login");

    assertThat(browser.getCurrentUrl()).contains("upstream=corp", "error=failed");
    assertThat(browser.findElement(By.id("login-error")).getText()).isNotBlank();
    assertThat(browser.manage().getCookieNamed(CallbackSteps.SESSION)).isNull();
    assertThat(users(api)).as("no account created").isEqualTo(before);
  }

  @Test
  void aDomainOutsideTheAllowedOnesIsNotProvisioned(Api api) {
    String name = Api.unique("domainuser");
    int before = users(api);
    WebDriver browser = BROWSERS.open();

    browser.get(portcullis + "/login");
    browser.findElement(By.id("upstream-domains")).click();
    signInAtMockServer(browser, "domains", "dom-sub-" + name, name, name + "@elsewhere.example");
    awaitPath(browser, "/login");
    assertThat(browser.getCurrentUrl()).contains("upstream=domains", "error=failed");
    assertThat(users(api)).isEqualTo(before);

    browser.findElement(By.id("upstream-domains")).click();
    signInAtMockServer(browser, "domains", "dom-sub-" + name, name, name + "@example.com");
    awaitPath(browser, "/account");
    assertThat(users(api)).isEqualTo(before + 1);
  }

  @Test
  void aLinkedAccountSignsInAsTheLocalUserAndATakenLinkIsRefused(Api api) {
    String local = Api.unique("linker");
    api.createUser(local, PASSWORD, "user");
    String subject = "corp-sub-" + local;
    WebDriver browser = BROWSERS.open();
    signInWithPassword(browser, local);

    linkAtMockServer(browser, "corp", subject, local);
    awaitPath(browser, "/account");
    assertThat(browser.getCurrentUrl()).contains("linked=corp");
    assertThat(browser.findElements(By.cssSelector("tr.upstream-link[data-provider='corp']")))
        .hasSize(1);
    assertThat(browser.findElements(By.cssSelector(".link-provider[data-provider='corp']")))
        .as("no second link to the same provider is offered")
        .isEmpty();

    // a fresh browser signs in with the linked corp account: it is the local user
    WebDriver second = BROWSERS.open();
    second.get(portcullis + "/login");
    second.findElement(By.id("upstream-corp")).click();
    signInAtMockServer(second, "corp", subject, "ignored-" + local, local + "@corp.example");
    awaitPath(second, "/account");
    var me = me(api, second.manage().getCookieNamed(CallbackSteps.SESSION).getValue());
    assertThat(me.getString("username")).isEqualTo(local);
    assertThat(me.getString("auth_method", "")).isNotBlank();

    // another local user cannot take over the same corp account
    String other = Api.unique("taker");
    api.createUser(other, PASSWORD, "user");
    WebDriver third = BROWSERS.open();
    signInWithPassword(third, other);
    linkAtMockServer(third, "corp", subject, other);
    awaitPath(third, "/account");
    assertThat(third.getCurrentUrl()).contains("upstream=corp", "error=taken");
    assertThat(third.findElement(By.id("links-error")).getText()).isNotBlank();
    assertThat(third.findElements(By.cssSelector("tr.upstream-link"))).isEmpty();

    // unlinking (the user still has a password) removes the row; the corp account is free again
    browser.get(portcullis + "/account");
    browser.findElement(By.cssSelector("tr.upstream-link[data-provider='corp'] .unlink")).click();
    new WebDriverWait(browser, WAIT)
        .until(
            d ->
                d.findElements(By.cssSelector("tr.upstream-link[data-provider='corp']")).isEmpty());
    WebDriver fourth = BROWSERS.open();
    fourth.get(portcullis + "/login");
    fourth.findElement(By.id("upstream-corp")).click();
    signInAtMockServer(fourth, "corp", subject, local, local + "@corp.example");
    awaitPath(fourth, "/login");
    assertThat(fourth.getCurrentUrl()).contains("error=failed");
  }

  @Test
  void theLastWayToSignInCannotBeUnlinked(Api api) {
    String name = Api.unique("onlylink");
    WebDriver browser = BROWSERS.open();
    browser.get(portcullis + "/login");
    browser.findElement(By.id("upstream-mock")).click();
    signInAtMockServer(browser, "mock", "mock-sub-" + name, name, name + "@mock.example");
    awaitPath(browser, "/account");

    browser.findElement(By.cssSelector("tr.upstream-link[data-provider='mock'] .unlink")).click();

    var error = new WebDriverWait(browser, WAIT).until(d -> d.findElement(By.id("links-error")));
    assertThat(error.getText()).isNotBlank();
    assertThat(browser.findElements(By.cssSelector("tr.upstream-link[data-provider='mock']")))
        .hasSize(1);
  }

  @Test
  void aProvisionedAccountSetsAFirstPasswordAndThenMayUnlink(Api api) {
    String name = Api.unique("firstpw");
    WebDriver browser = BROWSERS.open();
    browser.get(portcullis + "/login");
    browser.findElement(By.id("upstream-mock")).click();
    signInAtMockServer(browser, "mock", "mock-sub-" + name, name, name + "@mock.example");
    awaitPath(browser, "/account");
    assertThat(browser.findElements(By.id("password-form:current")))
        .as("no current password to type")
        .isEmpty();

    browser.findElement(By.id("first-password-form:first")).sendKeys(PASSWORD);
    browser.findElement(By.cssSelector("[data-action='set-password']")).click();
    new WebDriverWait(browser, WAIT)
        .until(d -> d.findElements(By.id("password-form:current")).size() == 1);
    assertThat(api.login(name, PASSWORD).getString("access_token")).isNotBlank();

    browser.findElement(By.cssSelector("tr.upstream-link[data-provider='mock'] .unlink")).click();
    new WebDriverWait(browser, WAIT)
        .until(d -> d.findElements(By.cssSelector("tr.upstream-link")).isEmpty());
    assertThat(browser.findElements(By.id("links-error"))).isEmpty();
  }

  @Test
  void aGitHubAccountSignsInThroughTheOAuthStub(Api api) {
    String login = Api.unique("octo");
    upstream
        .github()
        .signInAs(
            new GitHubStub.User(
                System.nanoTime() & 0xffffffL,
                login,
                "Octo " + login,
                login + "@github.example",
                true));
    WebDriver browser = BROWSERS.open();

    browser.get(portcullis + "/login");
    browser.findElement(By.id("upstream-github")).click();
    awaitPath(browser, "/account");

    var me = me(api, browser.manage().getCookieNamed(CallbackSteps.SESSION).getValue());
    assertThat(me.getString("username")).isEqualTo(login);
  }

  @Test
  void anOAuthClientOfPortcullisSeesAFederatedSignIn(Api api) {
    // over HTTP: the scripted provider signs the user in, then an OAuth client asks Portcullis
    ScriptedProvider scripted = upstream.scripted();
    String subject = Api.unique("fed");
    scripted.script(a -> Answer.idToken(scripted.sign(scripted.claims(a, subject).build())));
    String session;
    try {
      var attempt = start(api, "scripted", null);
      session =
          sessionCookie(callback(api, authorize(api, attempt), attempt.binding(), attempt.agent()));
      assertThat(session).isNotNull();
      assertThat(events(api, "UPSTREAM_SIGN_IN", attempt.agent())).hasSize(1);
    } finally {
      scripted.reset();
    }
    String redirect = "https://fed-app.example/callback";
    var client =
        OAuthClients.register(
            api,
            registration(Api.unique("fed-app"), "Federated app", "authorization_code")
                .add("redirect_uris", array(redirect))
                .add("token_endpoint_auth_method", "client_secret_basic")
                .add("scopes", array("openid", "profile"))
                .add("consent", "implicit"));
    String verifier = OAuthClients.random(32);
    String challenge = ScriptedProvider.s256(verifier);
    var authorization =
        api.get(
            "/oauth2/authorize?response_type=code&client_id="
                + Api.formEncode(client.id())
                + "&redirect_uri="
                + Api.formEncode(redirect)
                + "&scope=openid+profile&state=s1&nonce=n1&code_challenge="
                + challenge
                + "&code_challenge_method=S256",
            "Cookie",
            CallbackSteps.SESSION + "=" + session);
    assertThat(authorization.status()).as(authorization.body()).isIn(302, 303);
    String code =
        OAuthClients.query(URI.create(authorization.header("Location")).getRawQuery()).get("code");
    assertThat(code).isNotNull();
    var tokens =
        OAuthClients.tokenResponse(
            OAuthClients.postForm(
                api,
                "/oauth2/token",
                "grant_type=authorization_code&code="
                    + Api.formEncode(code)
                    + "&redirect_uri="
                    + Api.formEncode(redirect)
                    + "&code_verifier="
                    + verifier,
                "Authorization",
                client.basic()));
    var claims = OAuthClients.claims(tokens.getString("id_token"));
    assertThat(claims.get("amr")).isEqualTo(List.of("fed"));
    assertThat(claims.get("preferred_username")).isEqualTo(subject);
  }

  // --- steps -------------------------------------------------------------------------------------

  /**
   * Fills in mock-oauth2-server's own login page for issuer {@code issuerId}: the subject and the
   * claims (JSON) of the ID token it will issue.
   */
  private static void signInAtMockServer(
      WebDriver browser, String issuerId, String subject, String username, String email) {
    awaitUrlStartingWith(browser, upstream.mockIssuer(issuerId) + "/authorize");
    browser.findElement(By.name("username")).sendKeys(subject);
    browser
        .findElement(By.name("claims"))
        .sendKeys(
            Json.createObjectBuilder()
                .add("preferred_username", username)
                .add("email", email)
                .add("email_verified", true)
                .build()
                .toString());
    browser.findElement(By.cssSelector("input[type=submit]")).click();
  }

  /** On the account page: starts linking {@code provider} and signs in there as {@code subject}. */
  private static void linkAtMockServer(
      WebDriver browser, String provider, String subject, String username) {
    browser.get(portcullis + "/account");
    browser
        .findElement(
            By.cssSelector("#linked-accounts .link-provider[data-provider='" + provider + "']"))
        .click();
    signInAtMockServer(
        browser, provider, subject, username, username + "@" + provider + ".example");
  }

  private static void signInWithPassword(WebDriver browser, String username) {
    browser.get(portcullis + "/login?next=/account");
    browser.findElement(By.id("login:username")).sendKeys(username);
    browser.findElement(By.id("login:password")).sendKeys(PASSWORD);
    browser.findElement(By.id("login:submit")).click();
    awaitPath(browser, "/account");
  }

  private static void awaitPath(WebDriver browser, String path) {
    new WebDriverWait(browser, WAIT)
        .withMessage(() -> "expected " + path + " but the browser is at " + browser.getCurrentUrl())
        .until(
            d -> {
              URI at = URI.create(d.getCurrentUrl());
              return (portcullis + at.getPath()).equals(portcullis + path)
                  && d.getCurrentUrl().startsWith(portcullis);
            });
  }

  private static void awaitUrlStartingWith(WebDriver browser, String prefix) {
    new WebDriverWait(browser, WAIT)
        .withMessage(
            () -> "expected " + prefix + " but the browser is at " + browser.getCurrentUrl())
        .until(d -> d.getCurrentUrl().startsWith(prefix));
  }

  private static jakarta.json.JsonObject me(Api api, String session) {
    var reply = api.get("/api/v1/me", "Cookie", CallbackSteps.SESSION + "=" + session);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json();
  }
}
