package dev.portcullis.delegation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.it.Api;
import jakarta.json.JsonValue;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What the browser-driven delegation ITs do with Chromium and Portcullis: sign in on Portcullis'
 * login page, wait for a page, read an element, and count a user's browser sessions at Portcullis.
 * Stateless.
 */
final class BrowserSteps {

  /**
   * Long enough for a first sign-in: discovery, code redemption and the JWKS fetched on the way.
   */
  static final Duration WAIT = Duration.ofSeconds(30);

  private BrowserSteps() {}

  /** Fills in and submits Portcullis' login form, which the browser shows. */
  static void signIn(WebDriver browser, String username, String password) {
    browser.findElement(By.id("login:username")).sendKeys(username);
    browser.findElement(By.id("login:password")).sendKeys(password);
    browser.findElement(By.id("login:submit")).click();
  }

  /** Waits until the browser shows {@code url} (scheme, host, port and path; any query). */
  static void awaitUrl(WebDriver browser, String url) {
    new WebDriverWait(browser, WAIT)
        .withMessage(() -> "expected " + url + " but the browser is at " + browser.getCurrentUrl())
        .until(d -> withoutQuery(d.getCurrentUrl()).equals(url));
  }

  /** The text of the element with {@code id}, stripped. */
  static String text(WebDriver browser, String id) {
    return browser.findElement(By.id(id)).getText().strip();
  }

  /** The user's live browser sessions at Portcullis, seen through the user's own API token. */
  static long browserSessions(Api api, String username, String password) {
    String token = api.login(username, password).getString("access_token");
    var reply = api.get("/api/v1/sessions", "Authorization", Api.bearer(token));
    assertThat(reply.status()).isEqualTo(200);
    return reply.json().getJsonArray("items").getValuesAs(JsonValue::asJsonObject).stream()
        .filter(s -> s.getString("kind").equals("browser"))
        .count();
  }

  private static String withoutQuery(String url) {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query);
  }
}
