package dev.portcullis.it.browser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Debian Chromium for browser tests, driven through Debian's chromedriver (no Selenium
 * Manager, no download). Each {@link #open()} is a separate browser with its own temporary profile,
 * so two of them are two independent cookie jars ("browser contexts"). Every browser opened during
 * a test is quit after it, and the profile deleted; when the test failed, a screenshot and the page
 * source of each are saved under {@code target/screenshots/} first.
 *
 * <p>Without {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} the tests are skipped on a
 * developer's machine, but fail under {@code CI=true}: CI ({@code .ci/run}) installs them.
 *
 * <p>Usage: {@code @RegisterExtension static final Browsers BROWSERS = new Browsers();} then {@code
 * WebDriver browser = BROWSERS.open();} in a test. Not thread-safe: one test at a time.
 */
public final class Browsers
    implements BeforeAllCallback, AfterTestExecutionCallback, AfterEachCallback, AfterAllCallback {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private static final AtomicBoolean CLEANED = new AtomicBoolean();

  private record Open(WebDriver driver, Path profile) {}

  private final List<Open> open = new ArrayList<>();

  /** Starts a headless Chromium with a fresh profile. */
  public WebDriver open() {
    return start(options());
  }

  /** Starts a headless Chromium with JavaScript switched off in its content settings. */
  public WebDriver openWithoutJavaScript() {
    var options = options();
    options.setExperimentalOption(
        "prefs", Map.of("profile.managed_default_content_settings.javascript", 2));
    return start(options);
  }

  /**
   * Saves a PNG of the whole page {@code driver} shows as {@code target/screenshots/<name>.png};
   * the window is made as tall as the page (at most 4000 pixels) first.
   */
  public static Path screenshot(WebDriver driver, String name) {
    Object height =
        ((JavascriptExecutor) driver).executeScript("return document.documentElement.scrollHeight");
    var window = driver.manage().window();
    if (height instanceof Number pixels && pixels.intValue() > window.getSize().getHeight()) {
      window.setSize(
          new Dimension(window.getSize().getWidth(), Math.min(pixels.intValue() + 150, 4000)));
    }
    try {
      Files.createDirectories(SCREENSHOTS);
      Path file = SCREENSHOTS.resolve(name + ".png");
      Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    assumeInstalled();
    deleteFailureScreenshots();
  }

  /**
   * Skips the calling test (or class) unless Chromium and chromedriver are installed; under {@code
   * CI=true} fails instead. For a test class whose other tests need no browser: register this
   * extension on an instance field (then only its per-test callbacks run) and call this first in
   * the browser test.
   */
  public static void assumeInstalled() {
    boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!installed && "true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException(
          "CI=true but "
              + CHROMIUM
              + " or "
              + CHROMEDRIVER
              + " is missing: install the Debian packages chromium and chromium-driver");
    }
    Assumptions.assumeTrue(
        installed, "browser tests need " + CHROMIUM + " and " + CHROMEDRIVER + " (apt)");
  }

  @Override
  public void afterTestExecution(ExtensionContext context) {
    if (context.getExecutionException().isEmpty()) {
      return;
    }
    String test = context.getRequiredTestMethod().getName();
    for (int i = 0; i < open.size(); i++) {
      var driver = open.get(i).driver();
      String name = "failed-" + test + "-" + i;
      try {
        screenshot(driver, name);
        Files.writeString(
            SCREENSHOTS.resolve(name + ".html"),
            driver.getCurrentUrl() + "\n" + driver.getPageSource());
        System.err.println("Browser " + i + " of " + test + " was at " + driver.getCurrentUrl());
      } catch (IOException | WebDriverException e) {
        System.err.println("no screenshot of browser " + i + ": " + e);
      }
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    quitAll();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    quitAll();
  }

  private static ChromeOptions options() {
    var options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--window-size=1280,1000");
    // A confirm() before revoking something is accepted, as a user would.
    options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.ACCEPT);
    return options;
  }

  private WebDriver start(ChromeOptions options) {
    Path profile;
    try {
      profile = Files.createTempDirectory("chromium");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    options.addArguments("--user-data-dir=" + profile);
    var service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    WebDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    open.add(new Open(driver, profile));
    return driver;
  }

  private void quitAll() {
    for (var browser : open) {
      try {
        browser.driver().quit();
      } catch (WebDriverException e) {
        System.err.println("quitting a browser failed: " + e);
      }
      deleteTree(browser.profile());
    }
    open.clear();
  }

  /** Failure screenshots of an earlier run would be mistaken for this run's (once per run). */
  private static void deleteFailureScreenshots() {
    if (!CLEANED.compareAndSet(false, true) || !Files.isDirectory(SCREENSHOTS)) {
      return;
    }
    try (var files = Files.list(SCREENSHOTS)) {
      files
          .filter(p -> p.getFileName().toString().startsWith("failed-"))
          .forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("cannot clean " + SCREENSHOTS + ": " + e);
    }
  }

  private static void deleteTree(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (var files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("cannot delete " + directory + ": " + e);
    }
  }
}
