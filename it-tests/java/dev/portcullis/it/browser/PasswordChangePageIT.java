package dev.portcullis.it.browser;

import static dev.portcullis.it.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import dev.portcullis.it.Api;
import dev.portcullis.it.PortcullisServer;
import dev.portcullis.it.SharedServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Signing in with a one-time password in real headless Chromium (SPEC 3.5, 3.8): the login page
 * asks for a new password instead of starting a session, names a policy failure, then changes the
 * password, starts the browser session and lands on the account page; the one-time password is
 * never carried between the steps and no longer works afterwards. Also the HTTP-level rules of
 * {@code /login/password}: public, same-origin posts only, the generic message for a wrong current
 * password, and no use made of a bearer token or API key that reaches it.
 */
@ExtendWith(SharedServer.class)
class PasswordChangePageIT {

  @RegisterExtension static final Browsers BROWSERS = new Browsers();

  private static final String COOKIE = "__Host-portcullis";
  private static final String DEVICE_COOKIE = "__Host-portcullis-device";
  private static final String ONE_TIME = "One-Time-Pass-4711";
  private static final String NEW_PASSWORD = "Chosen-By-Me-0815!";
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final Pattern VIEW_STATE =
      Pattern.compile("name=\"jakarta.faces.ViewState\"[^>]*value=\"([^\"]+)\"");

  private static String baseUrl;

  @BeforeAll
  static void start(PortcullisServer server) {
    baseUrl = server.baseUrl();
  }

  @Test
  void aOneTimePasswordIsChangedOnTheLoginPageAndTheUserLandsSignedIn(Api api) {
    String name = unique("first-login");
    String userId = createWithOneTimePassword(api, name);
    WebDriver browser = BROWSERS.open();

    browser.get(baseUrl + "/login");
    signIn(browser, name, ONE_TIME);
    var notice =
        new WebDriverWait(browser, WAIT)
            .until(visibilityOfElementLocated(By.id("password-change-notice")));
    assertThat(notice.getText()).contains("must be changed");
    assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Change your password");
    assertThat(browser.manage().getCookieNamed(COOKIE)).as("no session yet").isNull();
    assertThat(field(browser, "username").getDomProperty("value")).isEqualTo(name);
    assertThat(field(browser, "current").getDomAttribute("type")).isEqualTo("password");
    assertThat(field(browser, "current").getDomProperty("value"))
        .as("the current password is typed again")
        .isEmpty();
    assertThat(browser.getPageSource()).doesNotContain(ONE_TIME);
    assertThat(browser.findElements(By.cssSelector("label[for='password-change:repeat']")))
        .hasSize(1);
    Browsers.screenshot(browser, "password-change");

    changePassword(browser, ONE_TIME, "password1234", "password1234");
    assertThat(awaitError(browser)).contains("most common passwords");
    assertThat(browser.getPageSource()).doesNotContain(ONE_TIME);
    assertThat(browser.manage().getCookieNamed(COOKIE)).isNull();

    changePassword(browser, ONE_TIME, NEW_PASSWORD, NEW_PASSWORD + "x");
    assertThat(awaitError(browser)).isEqualTo("The new passwords do not match.");

    changePassword(browser, "Not-" + ONE_TIME, NEW_PASSWORD, NEW_PASSWORD);
    assertThat(awaitError(browser))
        .as("a wrong current password gets the login page's generic message")
        .isEqualTo("Invalid username or password.");

    changePassword(browser, ONE_TIME, NEW_PASSWORD, NEW_PASSWORD);
    new WebDriverWait(browser, WAIT)
        .withMessage(() -> "still at " + browser.getCurrentUrl())
        .until(d -> "/account".equals(URI.create(d.getCurrentUrl()).getPath()));
    assertThat(browser.findElement(By.id("account-username")).getText()).contains(name);
    Cookie session = browser.manage().getCookieNamed(COOKIE);
    assertThat(session).isNotNull();
    assertThat(session.isHttpOnly()).isTrue();
    assertThat(session.isSecure()).isTrue();
    assertThat(browser.manage().getCookieNamed(DEVICE_COOKIE)).isNotNull();
    var me = api.get("/api/v1/me", "Cookie", COOKIE + "=" + session.getValue());
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().getString("username")).isEqualTo(name);
    assertThat(me.json().getString("auth_method")).isEqualTo("session");

    assertThat(api.post("/api/v1/auth/login", Api.credentials(name, ONE_TIME)).status())
        .as("the one-time password no longer works")
        .isEqualTo(401);
    assertThat(api.post("/api/v1/auth/login", Api.credentials(name, NEW_PASSWORD)).status())
        .isEqualTo(200);

    var audit =
        api.get(
            "/api/v1/admin/audit?type=PASSWORD_CHANGE&subject=" + userId,
            "Authorization",
            Api.bearer(api.adminToken()));
    assertThat(audit.status()).isEqualTo(200);
    var events = audit.json().getJsonArray("items").getValuesAs(JsonObject.class);
    assertThat(events).hasSize(1);
    assertThat(events.get(0).getString("outcome")).isEqualTo("SUCCESS");
    assertThat(audit.body()).doesNotContain(ONE_TIME).doesNotContain(NEW_PASSWORD);
  }

  @Test
  void afterTheChangeTheBrowserGoesWhereTheLoginWasHeadedIfItIsOnThisSite(Api api) {
    String name = unique("first-login");
    createWithOneTimePassword(api, name);
    WebDriver browser = BROWSERS.open();

    browser.get(baseUrl + "/login?next=%2Fapi%2Fv1%2Fme");
    signIn(browser, name, ONE_TIME);
    new WebDriverWait(browser, WAIT)
        .until(visibilityOfElementLocated(By.id("password-change-notice")));
    changePassword(browser, ONE_TIME, NEW_PASSWORD, NEW_PASSWORD);
    new WebDriverWait(browser, WAIT)
        .until(d -> "/api/v1/me".equals(URI.create(d.getCurrentUrl()).getPath()));
    assertThat(browser.getPageSource()).contains(name).contains("session");
  }

  @Test
  void thePageIsPublicSendsTheSecurityHeadersAndUsesNoOtherCredential(Api api) {
    var page = api.get("/login/password");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Cache-Control")).contains("no-store");
    assertThat(page.header("X-Frame-Options")).isEqualToIgnoringCase("DENY");
    assertThat(page.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
    assertThat(page.body()).contains("password-change:current");

    String name = unique("token-holder");
    api.createUser(name, NEW_PASSWORD, "user");
    String token = api.login(name, NEW_PASSWORD).getString("access_token");
    var withToken = api.get("/login/password", "Authorization", Api.bearer(token));
    assertThat(withToken.status()).isEqualTo(200);
    assertThat(withToken.body())
        .as("a bearer token is not a browser session: the form is not filled for it")
        .doesNotContain(name);

    for (String spelling : new String[] {"/login/password.xhtml", "/faces/login/password.xhtml"}) {
      assertThat(api.get(spelling).status()).as(spelling).isEqualTo(404);
    }
  }

  @Test
  void aPostFromAnotherSiteChangesNothing(Api api) {
    String name = unique("first-login");
    createWithOneTimePassword(api, name);
    var page = api.get("/login/password");
    var state = VIEW_STATE.matcher(page.body());
    assertThat(state.find()).isTrue();
    String form =
        "password-change=password-change&password-change%3Anext=%2Faccount"
            + "&password-change%3Ausername="
            + Api.formEncode(name)
            + "&password-change%3Acurrent="
            + Api.formEncode(ONE_TIME)
            + "&password-change%3Anew="
            + Api.formEncode(NEW_PASSWORD)
            + "&password-change%3Arepeat="
            + Api.formEncode(NEW_PASSWORD)
            + "&password-change%3Asubmit=x&jakarta.faces.ViewState="
            + Api.formEncode(state.group(1));
    var reply =
        api.send(
            HttpRequest.newBuilder(URI.create(baseUrl + "/login/password"))
                .POST(HttpRequest.BodyPublishers.ofString(form)),
            "Content-Type",
            "application/x-www-form-urlencoded",
            "Cookie",
            "JSESSIONID=" + Api.cookie(page, "JSESSIONID"),
            "Origin",
            "https://evil.example",
            "Sec-Fetch-Site",
            "cross-site");
    assertThat(reply.status()).isEqualTo(403);
    assertThat(reply.code()).isEqualTo("CSRF_REJECTED");
    assertThat(Api.cookie(reply, COOKIE)).isNull();
    assertThat(api.post("/api/v1/auth/login", Api.credentials(name, ONE_TIME)).code())
        .as("still the one-time password")
        .isEqualTo("PASSWORD_CHANGE_REQUIRED");
  }

  // --- helpers ---

  /** Creates a user whose password must change at first sign-in; returns its id. */
  private static String createWithOneTimePassword(Api api, String name) {
    var body =
        Json.createObjectBuilder()
            .add("username", name)
            .add("password", ONE_TIME)
            .add("roles", Json.createArrayBuilder().add("user"))
            .add("password_change_required", true)
            .build()
            .toString();
    var reply =
        api.post("/api/v1/admin/users", body, "Authorization", Api.bearer(api.adminToken()));
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    assertThat(api.post("/api/v1/auth/login", Api.credentials(name, ONE_TIME)).code())
        .isEqualTo("PASSWORD_CHANGE_REQUIRED");
    return reply.json().getString("id");
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

  private static WebElement field(WebDriver browser, String id) {
    return browser.findElement(By.id("password-change:" + id));
  }

  private static void changePassword(
      WebDriver browser, String current, String replacement, String repeated) {
    for (String[] entry :
        new String[][] {{"current", current}, {"new", replacement}, {"repeat", repeated}}) {
      var input = field(browser, entry[0]);
      input.clear();
      input.sendKeys(entry[1]);
    }
    var old = browser.findElement(By.tagName("html"));
    browser.findElement(By.id("password-change:submit")).click();
    new WebDriverWait(browser, WAIT).until(d -> isStale(old));
  }

  /** The error message of the page the last submit answered with. */
  private static String awaitError(WebDriver browser) {
    return new WebDriverWait(browser, WAIT)
        .until(visibilityOfElementLocated(By.id("password-change-error")))
        .getText()
        .strip();
  }

  private static boolean isStale(WebElement element) {
    try {
      element.getTagName();
      return false;
    } catch (StaleElementReferenceException e) {
      return true;
    } catch (WebDriverException e) {
      return String.valueOf(e.getMessage()).contains("does not belong to the document");
    }
  }
}
