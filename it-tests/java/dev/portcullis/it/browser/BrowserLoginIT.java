package dev.portcullis.it.browser;

import static dev.portcullis.it.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.numberOfElementsToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import dev.portcullis.it.Api;
import dev.portcullis.it.PortcullisServer;
import dev.portcullis.it.SharedServer;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The browser login of issue 4 in real headless Chromium against the real WAR on Payara Micro (SPEC
 * 3.2, 3.5; SECURITY "Sessions, cookies, CSRF"): the login and account pages, the {@code
 * __Host-portcullis} cookie and its flags, session ids across logins, logout and session revocation
 * that really end the server-side session, API keys made on the page, open-redirect attempts,
 * cross-site request forgery from another origin, and the pages' security headers.
 *
 * <p>The HTTP client cannot use {@code java.net.CookieManager} here (it never sends a {@code
 * Secure} cookie over http), so replays read the cookie value from the browser and send a {@code
 * Cookie} header themselves.
 */
@ExtendWith(SharedServer.class)
class BrowserLoginIT {

  @RegisterExtension static final Browsers BROWSERS = new Browsers();

  private static final String COOKIE = "__Host-portcullis";
  private static final String PASSWORD = "Br0wser-Login-Pass!";
  private static final String GENERIC_ERROR = "Invalid username or password.";
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String KEY_PATTERN = "ptc_[a-z2-7]{16}_[0-9A-Za-z]{49}";

  private static String baseUrl;
  private static OtherSite otherSite;

  @BeforeAll
  static void start(PortcullisServer server) {
    baseUrl = server.baseUrl();
    otherSite = OtherSite.start();
  }

  @AfterAll
  static void stop() {
    if (otherSite != null) {
      otherSite.close();
    }
  }

  @Test
  void logsInAndShowsTheAccountPage(Api api) {
    String name = user(api);
    WebDriver browser = BROWSERS.open();

    browser.get(baseUrl + "/account");
    assertThat(path(browser)).as("anonymous /account goes to the login page").isEqualTo("/login");
    assertThat(query(browser)).containsEntry("next", "/account");
    assertThat(browser.findElements(By.tagName("main"))).hasSize(1);
    assertThat(browser.findElement(By.id("login")).getTagName()).isEqualTo("form");
    assertThat(browser.findElement(By.id("login")).getDomAttribute("method"))
        .isEqualToIgnoringCase("post");
    assertThat(browser.findElements(By.cssSelector("label[for='login:username']"))).hasSize(1);
    assertThat(browser.findElements(By.cssSelector("label[for='login:password']"))).hasSize(1);
    assertThat(browser.findElement(By.id("login:password")).getDomAttribute("type"))
        .isEqualTo("password");
    Browsers.screenshot(browser, "login");

    signIn(browser, name, PASSWORD);
    awaitPath(browser, "/account");
    assertThat(browser.findElement(By.id("account-username")).getText()).contains(name);
    assertThat(csrfToken(browser)).hasSizeGreaterThanOrEqualTo(16);
    assertThat(browser.findElements(By.cssSelector("tr.session.current"))).hasSize(1);
    assertThat(
            browser
                .findElement(By.cssSelector("tr.session.current"))
                .getDomAttribute("data-session-id"))
        .isNotBlank();
    assertThat(browser.getCurrentUrl().toLowerCase(Locale.ROOT))
        .as("no session id in the URL")
        .doesNotContain("jsessionid")
        .doesNotContain(sessionCookie(browser).getValue().toLowerCase(Locale.ROOT));
    assertThat(browser.getPageSource().toLowerCase(Locale.ROOT)).doesNotContain(";jsessionid=");
    Browsers.screenshot(browser, "account");

    var me = api.get("/api/v1/me", cookieHeader(browser));
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().getString("username")).isEqualTo(name);
    assertThat(me.json().getString("auth_method")).isEqualTo("session");
  }

  @Test
  void wrongPasswordShowsTheGenericMessageAndKeepsTheUsername(Api api) {
    String name = user(api);
    WebDriver browser = BROWSERS.open();

    browser.get(baseUrl + "/login");
    signIn(browser, name, "Not-" + PASSWORD);
    var error =
        new WebDriverWait(browser, WAIT).until(visibilityOfElementLocated(By.id("login-error")));
    assertThat(path(browser)).isEqualTo("/login");
    assertThat(error.getText().strip()).isEqualTo(GENERIC_ERROR);
    assertThat(browser.findElement(By.id("login:username")).getDomProperty("value"))
        .isEqualTo(name);
    assertNoLiveSession(api, browser);

    browser.get(baseUrl + "/login");
    signIn(browser, unique("nobody"), PASSWORD);
    var unknown =
        new WebDriverWait(browser, WAIT).until(visibilityOfElementLocated(By.id("login-error")));
    assertThat(unknown.getText().strip())
        .as("an unknown user gets the same message as a wrong password")
        .isEqualTo(GENERIC_ERROR);
    assertNoLiveSession(api, browser);

    browser.get(baseUrl + "/login");
    signIn(browser, name, PASSWORD);
    awaitPath(browser, "/account");
  }

  @Test
  void loginWorksWithoutJavaScriptAndFromTheKeyboard(Api api) {
    String name = user(api);
    WebDriver browser = BROWSERS.openWithoutJavaScript();
    otherSite.page(
        "/js-probe", "<!doctype html><title>off</title><script>document.title='on'</script>");
    browser.get(otherSite.url(otherSiteHost(), "/js-probe"));
    assertThat(browser.getTitle()).as("JavaScript is really off").isEqualTo("off");

    browser.get(baseUrl + "/login");
    browser.findElement(By.id("login:username")).sendKeys(name);
    browser.findElement(By.id("login:password")).sendKeys(PASSWORD, Keys.ENTER);
    awaitPath(browser, "/account");
    assertThat(browser.findElement(By.id("account-username")).getText()).contains(name);
  }

  @Test
  void sessionCookieIsHostPrefixedHttpOnlySecureLax(Api api) {
    String name = user(api);
    WebDriver browser = BROWSERS.open();
    browser.get(baseUrl + "/login");
    signIn(browser, name, PASSWORD);
    awaitPath(browser, "/account");

    Cookie cookie = sessionCookie(browser);
    assertThat(cookie.isHttpOnly()).as("HttpOnly").isTrue();
    assertThat(cookie.isSecure()).as("Secure").isTrue();
    assertThat(cookie.getSameSite()).isEqualTo("Lax");
    assertThat(cookie.getPath()).isEqualTo("/");
    assertThat(cookie.getDomain()).as("host-only, no Domain").isEqualTo(serverHost());
    assertThat(cookie.getValue())
        .as("names a >= 256-bit random session")
        .hasSizeGreaterThanOrEqualTo(43)
        .doesNotContain(name);
    Object visibleToScript = ((JavascriptExecutor) browser).executeScript("return document.cookie");
    assertThat(String.valueOf(visibleToScript)).as("document.cookie").doesNotContain(COOKIE);
  }

  @Test
  void everyLoginGetsAFreshSessionId(Api api) {
    String name = user(api);
    WebDriver browser = BROWSERS.open();
    browser.get(baseUrl + "/login");
    String planted = randomValue();
    browser
        .manage()
        .addCookie(
            new Cookie.Builder(COOKIE, planted)
                .path("/")
                .isSecure(true)
                .isHttpOnly(true)
                .sameSite("Lax")
                .build());

    browser.get(baseUrl + "/login");
    assertThat(browser.findElements(By.id("login:username")))
        .as("an unknown session cookie does not lock the user out of the login page")
        .hasSize(1);
    signIn(browser, name, PASSWORD);
    awaitPath(browser, "/account");
    String first = sessionCookie(browser).getValue();
    String firstId = currentSessionId(browser);
    assertThat(first).as("the planted (fixated) id is replaced").isNotEqualTo(planted);
    assertThat(api.get("/api/v1/me", "Cookie", COOKIE + "=" + planted).status()).isEqualTo(401);

    browser.findElement(By.cssSelector("[data-action='logout']")).click();
    awaitPath(browser, "/login");
    signIn(browser, name, PASSWORD);
    awaitPath(browser, "/account");
    String second = sessionCookie(browser).getValue();
    assertThat(second).isNotEqualTo(first).isNotEqualTo(planted);
    assertThat(currentSessionId(browser)).isNotEqualTo(firstId);
    assertThat(api.get("/api/v1/me", cookieHeader(second)).status()).isEqualTo(200);
  }

  @Test
  void logoutEndsTheSessionOnTheServer(Api api) {
    String name = user(api);
    WebDriver browser = BROWSERS.open();
    browser.get(baseUrl + "/login");
    signIn(browser, name, PASSWORD);
    awaitPath(browser, "/account");
    String value = sessionCookie(browser).getValue();
    assertThat(api.get("/api/v1/me", cookieHeader(value)).status()).isEqualTo(200);

    WebElement form = browser.findElement(By.id("logout-form"));
    assertThat(form.getDomAttribute("method")).isEqualToIgnoringCase("post");
    assertThat(URI.create(baseUrl).resolve(form.getDomAttribute("action")).getPath())
        .isEqualTo("/logout");
    assertThat(
            form.findElement(By.cssSelector("input[type='hidden'][name='csrf']"))
                .getDomAttribute("value"))
        .isNotBlank();

    browser.findElement(By.cssSelector("[data-action='logout']")).click();
    awaitPath(browser, "/login");
    Cookie after = browser.manage().getCookieNamed(COOKIE);
    assertThat(after == null || !after.getValue().equals(value))
        .as("the browser no longer holds the old cookie")
        .isTrue();

    var replay = api.get("/api/v1/me", cookieHeader(value));
    assertThat(replay.status()).as("the old cookie replayed after logout").isEqualTo(401);
    var page = api.get("/account", cookieHeader(value));
    assertThat(page.status()).isIn(302, 303);
    assertThat(URI.create(baseUrl).resolve(page.header("Location")).getPath()).isEqualTo("/login");

    browser.get(baseUrl + "/account");
    assertThat(path(browser)).isEqualTo("/login");
  }

  @Test
  void sessionEndedFromAnotherBrowserStopsTheFirstWithinASecond(Api api) {
    String name = user(api);
    WebDriver first = BROWSERS.open();
    WebDriver second = BROWSERS.open();
    first.get(baseUrl + "/login");
    signIn(first, name, PASSWORD);
    awaitPath(first, "/account");
    String firstCookie = sessionCookie(first).getValue();
    String firstId = currentSessionId(first);
    second.get(baseUrl + "/login");
    signIn(second, name, PASSWORD);
    awaitPath(second, "/account");
    String secondCookie = sessionCookie(second).getValue();
    String secondId = currentSessionId(second);
    assertThat(secondId).isNotEqualTo(firstId);

    var listed = api.get("/api/v1/sessions", cookieHeader(secondCookie));
    assertThat(listed.status()).isEqualTo(200);
    assertThat(listed.body()).contains(firstId).contains(secondId);

    By firstRow = By.cssSelector("tr.session[data-session-id='" + firstId + "']");
    assertThat(second.findElement(firstRow).getDomAttribute("class")).doesNotContain("current");
    assertThat(
            second.findElements(
                By.cssSelector(
                    "tr.session.current[data-session-id='"
                        + secondId
                        + "'] [data-action='revoke-session']")))
        .as("the current session has no revoke button")
        .isEmpty();
    clickAndConfirm(
        second,
        second.findElement(firstRow).findElement(By.cssSelector("[data-action='revoke-session']")));
    new WebDriverWait(second, WAIT).until(numberOfElementsToBe(firstRow, 0));
    assertThat(untilNot200(() -> api.get("/api/v1/me", cookieHeader(firstCookie)).status()))
        .as("the first browser's session within a second of being ended")
        .isEqualTo(401);
    first.get(baseUrl + "/account");
    assertThat(path(first)).isEqualTo("/login");
    assertThat(api.get("/api/v1/me", cookieHeader(secondCookie)).status())
        .as("the browser that ended it stays signed in")
        .isEqualTo(200);

    // "Sign out everywhere else" ends a new session of the first browser too.
    signIn(first, name, PASSWORD);
    awaitPath(first, "/account");
    String thirdCookie = sessionCookie(first).getValue();
    second.get(baseUrl + "/account");
    By sessions = By.cssSelector("tr.session");
    assertThat(second.findElements(sessions)).hasSize(2);
    clickAndConfirm(second, second.findElement(By.cssSelector("[data-action='revoke-others']")));
    new WebDriverWait(second, WAIT).until(numberOfElementsToBe(sessions, 1));
    assertThat(second.findElement(sessions).getDomAttribute("data-session-id")).isEqualTo(secondId);
    assertThat(untilNot200(() -> api.get("/api/v1/me", cookieHeader(thirdCookie)).status()))
        .isEqualTo(401);
    assertThat(api.get("/api/v1/me", cookieHeader(secondCookie)).status()).isEqualTo(200);
  }

  @Test
  void apiKeyCreatedOnThePageWorksWithAnHttpClient(Api api) {
    String name = user(api);
    WebDriver browser = BROWSERS.open();
    browser.get(baseUrl + "/login");
    signIn(browser, name, PASSWORD);
    awaitPath(browser, "/account");

    String keyName = unique("laptop");
    browser.findElement(By.cssSelector("[data-field='key-name']")).sendKeys(keyName);
    browser.findElement(By.cssSelector("[data-action='create-key']")).click();
    String key = awaitNewKey(browser, null);
    String id = key.split("_")[1];
    assertThat(browser.findElement(By.cssSelector("[data-action='copy-key']")).isDisplayed())
        .isTrue();
    By row = By.cssSelector("tr.api-key[data-key-id='" + id + "']");

    var me = api.get("/api/v1/me", "X-API-Key", key);
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().getString("username")).isEqualTo(name);
    assertThat(me.json().getString("auth_method")).isEqualTo("api_key");
    assertThat(me.json().getString("key_id")).isEqualTo(id);

    browser.get(baseUrl + "/account");
    assertThat(browser.getPageSource()).as("the key is shown only once").doesNotContain(key);
    assertThat(browser.findElements(row)).hasSize(1);
    assertThat(browser.findElement(row).getText()).contains(keyName);

    browser.findElement(row).findElement(By.cssSelector("[data-action='rotate-key']")).click();
    String rotated = awaitNewKey(browser, key);
    assertThat(rotated).startsWith("ptc_" + id + "_");
    assertThat(api.get("/api/v1/me", "X-API-Key", rotated).status()).isEqualTo(200);

    clickAndConfirm(
        browser,
        browser.findElement(row).findElement(By.cssSelector("[data-action='revoke-key']")));
    assertThat(
            untilNot200(
                () -> api.get("/api/v1/me", "X-API-Key", rotated).status(), Duration.ofSeconds(5)))
        .as("the rotated key after revocation on the page")
        .isEqualTo(401);
    assertThat(api.get("/api/v1/me", "X-API-Key", key).status()).isEqualTo(401);
  }

  @Test
  void changingThePasswordNeedsTheCurrentOne(Api api) {
    String name = user(api);
    WebDriver browser = BROWSERS.open();
    browser.get(baseUrl + "/login");
    signIn(browser, name, PASSWORD);
    awaitPath(browser, "/account");
    String newPassword = "N3w-" + randomValue().substring(0, 20);
    By message = By.cssSelector("[data-field='password-message']");

    changePassword(browser, "Wrong-" + PASSWORD, newPassword);
    String refusal = awaitText(browser, message, null);
    assertThat(api.post("/api/v1/auth/login", Api.credentials(name, PASSWORD)).status())
        .as("a wrong current password changes nothing")
        .isEqualTo(200);
    assertThat(api.post("/api/v1/auth/login", Api.credentials(name, newPassword)).status())
        .isEqualTo(401);

    changePassword(browser, PASSWORD, newPassword);
    String success = awaitText(browser, message, refusal);
    assertThat(success).isNotEqualTo(refusal);
    assertThat(api.post("/api/v1/auth/login", Api.credentials(name, newPassword)).status())
        .isEqualTo(200);
    assertThat(api.post("/api/v1/auth/login", Api.credentials(name, PASSWORD)).status())
        .isEqualTo(401);
  }

  @Test
  void openRedirectAttemptsStayOnSite(Api api) {
    String name = user(api);
    WebDriver browser = BROWSERS.open();
    for (String next :
        List.of(
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "https:evil.example",
            "javascript:alert(1)")) {
      browser.manage().deleteAllCookies();
      browser.get(baseUrl + "/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
      signIn(browser, name, PASSWORD);
      new WebDriverWait(browser, WAIT).until(d -> !"/login".equals(path(d)));
      assertThat(browser.getCurrentUrl())
          .as("after login with next=%s", next)
          .isEqualTo(baseUrl + "/account");
    }

    // The positive control: a path on this site is honoured.
    browser.manage().deleteAllCookies();
    browser.get(baseUrl + "/login?next=" + URLEncoder.encode("/api/v1/me", StandardCharsets.UTF_8));
    signIn(browser, name, PASSWORD);
    awaitPath(browser, "/api/v1/me");
    assertThat(browser.getPageSource()).contains(name).contains("session");
  }

  @Test
  void crossSiteFormPostsCannotLogOutOrCreateKeys(Api api) {
    String name = user(api);
    WebDriver browser = BROWSERS.open();
    browser.get(baseUrl + "/login");
    signIn(browser, name, PASSWORD);
    awaitPath(browser, "/account");
    String value = sessionCookie(browser).getValue();

    otherSite.page(
        "/logout",
        attackerPage(
            "<form method='post' action='"
                + baseUrl
                + "/logout'>"
                + "<input type='hidden' name='csrf' value='forged'>"));
    otherSite.page(
        "/key-json",
        attackerPage(
            "<form method='post' enctype='text/plain' action='"
                + baseUrl
                + "/api/v1/keys'><input type='hidden' name='{\"name\":\"pwned\",\"scopes\":"
                + "[\"user\"],\"pad\":\"' value='\"}'>"));
    otherSite.page(
        "/key-form",
        attackerPage(
            "<form method='post' action='"
                + baseUrl
                + "/api/v1/keys'>"
                + "<input type='hidden' name='name' value='pwned'>"
                + "<input type='hidden' name='scopes' value='user'>"));

    // localhost and 127.0.0.1 are different sites: from there the Lax cookie is not even sent.
    // The server's host on another port is the same site but another origin: the cookie is sent
    // and only the server's CSRF check stands in the way.
    for (String host : List.of(otherSiteHost(), serverHost())) {
      for (String attack : List.of("/logout", "/key-json", "/key-form")) {
        String attacker = otherSite.url(host, attack);
        browser.get(attacker);
        browser.findElement(By.id("go")).click();
        new WebDriverWait(browser, WAIT)
            .withMessage("the forged POST from " + attacker + " reached the server")
            .until(d -> d.getCurrentUrl().startsWith(baseUrl + "/"));
        Cookie cookie = browser.manage().getCookieNamed(COOKIE);
        assertThat(cookie).as("cookie after the forged POST from %s", attacker).isNotNull();
        assertThat(cookie.getValue()).isEqualTo(value);
        assertThat(api.get("/api/v1/me", cookieHeader(value)).status())
            .as("session after the forged POST from %s", attacker)
            .isEqualTo(200);
      }
    }

    browser.get(baseUrl + "/account");
    assertThat(path(browser)).isEqualTo("/account");
    assertThat(browser.findElement(By.id("account-username")).getText()).contains(name);
    assertThat(browser.findElements(By.cssSelector("tr.api-key"))).isEmpty();
    var keys = api.get("/api/v1/keys", cookieHeader(value));
    assertThat(keys.status()).isEqualTo(200);
    assertThat(keys.json().getJsonArray("items")).as("no key was created").isEmpty();
  }

  @Test
  void cookieAuthenticatedApiWritesNeedTheCsrfTokenAndTheSameOrigin(Api api) {
    String name = user(api);
    WebDriver browser = BROWSERS.open();
    browser.get(baseUrl + "/login");
    signIn(browser, name, PASSWORD);
    awaitPath(browser, "/account");
    String cookie = COOKIE + "=" + sessionCookie(browser).getValue();
    String token = csrfToken(browser);
    String sessionId = currentSessionId(browser);
    String body = "{\"name\":\"from-the-page\",\"scopes\":[\"user\"]}";
    String otherOrigin = otherSite.url(serverHost(), "");

    Map<String, String[]> refused = new HashMap<>();
    refused.put("cookie only", new String[] {"Cookie", cookie});
    refused.put(
        "token from another origin",
        new String[] {"Cookie", cookie, "X-CSRF-Token", token, "Origin", otherOrigin});
    refused.put("same origin without token", new String[] {"Cookie", cookie, "Origin", baseUrl});
    refused.put(
        "same origin, wrong token",
        new String[] {"Cookie", cookie, "X-CSRF-Token", token + "x", "Origin", baseUrl});
    for (var attempt : refused.entrySet()) {
      var reply = api.post("/api/v1/keys", body, attempt.getValue());
      assertThat(reply.status()).as(attempt.getKey()).isEqualTo(403);
      assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
      assertThat(reply.code()).as(attempt.getKey()).isEqualTo("CSRF_REJECTED");
    }
    var list = api.get("/api/v1/keys", "Cookie", cookie);
    assertThat(list.status()).as("safe methods need no token").isEqualTo(200);
    assertThat(list.json().getJsonArray("items")).isEmpty();

    var created =
        api.post("/api/v1/keys", body, "Cookie", cookie, "X-CSRF-Token", token, "Origin", baseUrl);
    assertThat(created.status()).isEqualTo(201);
    JsonObject key = created.json();
    assertThat(key.getString("key")).matches(KEY_PATTERN);
    assertThat(api.get("/api/v1/me", "X-API-Key", key.getString("key")).status()).isEqualTo(200);

    var sessions = api.get("/api/v1/sessions", "Cookie", cookie);
    assertThat(sessions.status()).isEqualTo(200);
    assertThat(sessions.body())
        .contains(sessionId)
        .doesNotContain(cookie.substring(COOKIE.length() + 1));
    var forgedDelete =
        api.send(delete("/api/v1/sessions/" + sessionId), "Cookie", cookie, "Origin", otherOrigin);
    assertThat(forgedDelete.status()).isEqualTo(403);
    assertThat(forgedDelete.code()).isEqualTo("CSRF_REJECTED");
    assertThat(api.get("/api/v1/me", "Cookie", cookie).status()).isEqualTo(200);
    var delete =
        api.send(
            delete("/api/v1/sessions/" + sessionId),
            "Cookie",
            cookie,
            "X-CSRF-Token",
            token,
            "Origin",
            baseUrl);
    assertThat(delete.status()).isBetween(200, 204);
    assertThat(api.get("/api/v1/me", "Cookie", cookie).status()).isEqualTo(401);
  }

  @Test
  void pagesSendSecurityHeaders(Api api) {
    String name = user(api);
    WebDriver browser = BROWSERS.open();
    browser.get(baseUrl + "/login");
    signIn(browser, name, PASSWORD);
    awaitPath(browser, "/account");
    String[] cookie = cookieHeader(browser);

    var login = api.get("/login");
    assertThat(login.status()).isEqualTo(200);
    assertSecurityHeaders(login, "/login");
    assertThat(login.body().toLowerCase(Locale.ROOT))
        .as("no URL rewriting for a client without cookies")
        .doesNotContain("jsessionid");

    var account = api.get("/account", cookie);
    assertThat(account.status()).isEqualTo(200);
    assertThat(account.body()).contains(name);
    assertSecurityHeaders(account, "/account");
    assertThat(account.header("Cache-Control")).contains("no-store");

    var anonymous = api.get("/account");
    assertThat(anonymous.status()).isIn(302, 303);
    URI location = URI.create(baseUrl).resolve(anonymous.header("Location"));
    assertThat(location.getPath()).isEqualTo("/login");
    assertThat(queryOf(location.getRawQuery())).containsEntry("next", "/account");
    assertThat(anonymous.header("Location").toLowerCase(Locale.ROOT)).doesNotContain("jsessionid");
  }

  // --- helpers ---

  private static String user(Api api) {
    String name = unique("browser");
    api.createUser(name, PASSWORD, "user");
    return name;
  }

  private static String serverHost() {
    return URI.create(baseUrl).getHost();
  }

  /** A loopback host name that is a different site from the server's. */
  private static String otherSiteHost() {
    return "localhost".equals(serverHost()) ? "127.0.0.1" : "localhost";
  }

  private static void signIn(WebDriver browser, String username, String password) {
    var field = browser.findElement(By.id("login:username"));
    field.clear();
    field.sendKeys(username);
    var secret = browser.findElement(By.id("login:password"));
    secret.clear();
    secret.sendKeys(password);
    browser.findElement(By.id("login:submit")).click();
  }

  private static void changePassword(WebDriver browser, String current, String replacement) {
    var currentField = browser.findElement(By.cssSelector("[data-field='current-password']"));
    currentField.clear();
    currentField.sendKeys(current);
    var newField = browser.findElement(By.cssSelector("[data-field='new-password']"));
    newField.clear();
    newField.sendKeys(replacement);
    browser.findElement(By.cssSelector("[data-action='change-password']")).click();
  }

  /** Clicks, then accepts a confirmation dialog if the page asks for one. */
  private static void clickAndConfirm(WebDriver browser, WebElement button) {
    button.click();
    try {
      browser.switchTo().alert().accept();
    } catch (NoAlertPresentException e) {
      // the page did not ask
    }
  }

  private static void awaitPath(WebDriver browser, String path) {
    new WebDriverWait(browser, WAIT)
        .withMessage(() -> "expected " + path + " but the browser is at " + browser.getCurrentUrl())
        .until(d -> path.equals(path(d)));
  }

  /**
   * Waits until {@code locator} shows a non-blank text other than {@code previous}. An element
   * replaced while it is being read (the page re-rendering after a submit) is looked up again.
   */
  private static String awaitText(WebDriver browser, By locator, String previous) {
    return new WebDriverWait(browser, WAIT)
        .ignoring(StaleElementReferenceException.class)
        .until(
            d -> {
              var found = d.findElements(locator);
              try {
                if (found.isEmpty() || !found.get(0).isDisplayed()) {
                  return null;
                }
                String text = found.get(0).getText().strip();
                return text.isEmpty() || text.equals(previous) ? null : text;
              } catch (WebDriverException e) {
                // Chromium's form of a stale element: the node left the document mid-read
                if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                  return null;
                }
                throw e;
              }
            });
  }

  private static String awaitNewKey(WebDriver browser, String previous) {
    String key = awaitText(browser, By.cssSelector("[data-field='new-key']"), previous);
    assertThat(key).matches(KEY_PATTERN);
    return key;
  }

  private static String path(WebDriver browser) {
    return URI.create(browser.getCurrentUrl()).getPath();
  }

  private static Map<String, String> query(WebDriver browser) {
    return queryOf(URI.create(browser.getCurrentUrl()).getRawQuery());
  }

  private static Map<String, String> queryOf(String rawQuery) {
    var parameters = new HashMap<String, String>();
    if (rawQuery != null) {
      for (String pair : rawQuery.split("&")) {
        int eq = pair.indexOf('=');
        String key = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        parameters.put(
            URLDecoder.decode(key, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      }
    }
    return parameters;
  }

  private static Cookie sessionCookie(WebDriver browser) {
    Cookie cookie = browser.manage().getCookieNamed(COOKIE);
    assertThat(cookie).as("the browser holds " + COOKIE).isNotNull();
    return cookie;
  }

  private static String[] cookieHeader(WebDriver browser) {
    return cookieHeader(sessionCookie(browser).getValue());
  }

  private static String[] cookieHeader(String value) {
    return new String[] {"Cookie", COOKIE + "=" + value};
  }

  private static String csrfToken(WebDriver browser) {
    return browser
        .findElement(By.cssSelector("meta[name='csrf-token']"))
        .getDomAttribute("content");
  }

  private static String currentSessionId(WebDriver browser) {
    return browser
        .findElement(By.cssSelector("tr.session.current"))
        .getDomAttribute("data-session-id");
  }

  /** After a failed login the browser holds no cookie that the server accepts. */
  private static void assertNoLiveSession(Api api, WebDriver browser) {
    Cookie cookie = browser.manage().getCookieNamed(COOKIE);
    if (cookie != null) {
      assertThat(api.get("/api/v1/me", cookieHeader(cookie.getValue())).status()).isEqualTo(401);
    }
  }

  private static void assertSecurityHeaders(Api.Reply reply, String page) {
    Map<String, String> csp = directives(reply.header("Content-Security-Policy"));
    assertThat(csp).as("CSP of " + page).containsEntry("frame-ancestors", "'none'");
    String scripts = csp.getOrDefault("script-src", csp.get("default-src"));
    assertThat(scripts).as("script-src of " + page).isNotNull().doesNotContain("'unsafe-inline'");
    assertThat(reply.header("X-Frame-Options")).as(page).isEqualToIgnoringCase("DENY");
    assertThat(reply.header("X-Content-Type-Options")).as(page).isEqualToIgnoringCase("nosniff");
    assertThat(reply.header("Referrer-Policy")).as(page).isEqualToIgnoringCase("same-origin");
  }

  private static Map<String, String> directives(String policy) {
    assertThat(policy).as("Content-Security-Policy").isNotNull();
    var map = new HashMap<String, String>();
    for (String directive : policy.split(";")) {
      String[] parts = directive.strip().split("\\s+", 2);
      if (!parts[0].isEmpty()) {
        map.put(parts[0].toLowerCase(Locale.ROOT), parts.length > 1 ? parts[1].strip() : "");
      }
    }
    return map;
  }

  private static String attackerPage(String formStart) {
    return "<!doctype html><title>Win a prize</title>"
        + formStart
        + "<button id='go' type='submit'>Claim</button></form>";
  }

  private static HttpRequest.Builder delete(String path) {
    return HttpRequest.newBuilder(URI.create(baseUrl + path)).DELETE();
  }

  private static int untilNot200(IntSupplier status) {
    return untilNot200(status, Duration.ofSeconds(1));
  }

  /** Polls {@code status} until it is not 200 or {@code limit} has passed; returns the last. */
  private static int untilNot200(IntSupplier status, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    int last;
    do {
      last = status.getAsInt();
    } while (last == 200 && System.nanoTime() < deadline);
    return last;
  }

  private static String randomValue() {
    var bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
