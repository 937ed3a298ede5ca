package dev.portcullis.it;

import static dev.portcullis.it.Api.bearer;
import static dev.portcullis.it.Api.credentials;
import static dev.portcullis.it.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.portcullis.it.browser.Browsers;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Portcullis on Payara Server 6 (issue 15): a real domain, made and configured with {@code asadmin}
 * step by step as the README's "Deploying on Payara Server" says, the built WAR deployed on it, and
 * the token, API-key and browser-login flows against it over real HTTP and in real Chromium. The
 * database is the one the other integration tests use ({@code -Dit.db.url}: a fresh PostgreSQL
 * database {@code <it.db.prefix>payara_server}, else an H2 file under {@code
 * target/it/payara-server}).
 *
 * <p>The tests run in order on one domain: the first replaces the bootstrap administrator's
 * one-time password, which the others then use. The domain is stopped and deleted afterwards, also
 * when something failed. With {@code -Dit.server=wildfly} the class is skipped: it tests Payara
 * Server, whatever server the other tests use.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PayaraServerIT {

  private static final String NAME = "payara-server";
  private static final String ADMIN = "admin";
  // test fixtures only
  private static final String ADMIN_PASSWORD = "Payara-Server-Adm1n!";
  private static final String PASSWORD = "Payara-Server-Us3r!";
  private static final Pattern ONE_TIME_PASSWORD =
      Pattern.compile(
          "Created bootstrap administrator '" + ADMIN + "' with one-time password (\\S+) - ");
  private static final String COMPILE_COMMAND = "-XX:CompileCommand=";
  private static final String COMPILE_COMMANDS_FILE = "portcullis-jit";
  private static final String COOKIE = "__Host-portcullis";
  private static final Duration WAIT = Duration.ofSeconds(15);

  private static PayaraServerDomain domain;
  private static Api api;
  private static String oneTimePassword;
  private static long startedAt;
  private static long lastLap;

  /** On an instance field, so only its per-test callbacks run: the other tests need no browser. */
  @RegisterExtension final Browsers browsers = new Browsers();

  @RegisterExtension
  static final TestWatcher REPORT =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          if (api != null) {
            System.err.println("Last exchange:\n" + api.lastExchange());
          }
          if (domain != null) {
            System.err.println("Payara Server log tail:\n" + domain.tail());
          }
        }
      };

  @BeforeAll
  static void createDomainAndDeploy() throws IOException {
    if (!onPayara()) {
      return; // each test is skipped, with the reason (an assumption here would report no test)
    }
    try {
      setUpDomain();
    } catch (RuntimeException | IOException | AssertionError e) {
      if (domain != null) {
        System.err.println("Payara Server log tail:\n" + domain.tail());
      }
      throw e;
    }
  }

  /** README "Deploying on Payara Server", step by step, on a new domain. */
  private static void setUpDomain() throws IOException {
    startedAt = System.nanoTime();
    lastLap = startedAt;
    var timings = new StringBuilder();
    domain = PayaraServerDomain.create(NAME);
    lap(timings, "create-domain");
    domain.start();
    lap(timings, "start-domain");

    var settings = settings(domain.workDir());
    // README step 1: the PostgreSQL driver in the domain's lib directory
    if (settings.get("portcullis.db.url").startsWith("jdbc:postgresql:")) {
      domain.asadmin(
          "add-library",
          Path.of(System.getProperty("it.payaraLib", "target/payara-lib/postgresql.jar"))
              .toAbsolutePath()
              .toString());
    }
    // step 2: the settings as system properties
    domain.asadmin("create-system-properties", systemProperties(settings));
    // step 3: the JVM options of payara/jvm.options
    Files.writeString(
        domain.directory().resolve("config").resolve(COMPILE_COMMANDS_FILE), compileCommands());
    domain.asadmin(
        "create-jvm-options",
        "-XX\\:CompileCommandFile=${com.sun.aas.instanceRoot}/config/" + COMPILE_COMMANDS_FILE);
    // step 4: no Server header, Payara's own endpoints off
    String applied =
        domain.asadmin(
            "multimode",
            "--file",
            Path.of("payara", "server-commands.asadmin").toAbsolutePath().toString());
    assertThat(applied.lines().filter(line -> line.contains("failed")))
        .as("multimode exits 0 even when a command fails:\n" + applied)
        .isEmpty();
    lap(timings, "configure");
    domain.restart();
    lap(timings, "restart-domain");
    // step 5
    domain.asadmin(
        "deploy",
        "--contextroot",
        "/",
        "--name",
        "portcullis",
        Path.of(System.getProperty("it.war", "target/portcullis.war")).toAbsolutePath().toString());
    lap(timings, "deploy");
    System.out.println("PayaraServerIT: domain ready and WAR deployed: " + timings);

    api = new Api(PortcullisServer.at(NAME, domain.baseUrl(), ADMIN_PASSWORD));
    var found = ONE_TIME_PASSWORD.matcher(Files.readString(domain.serverLog()));
    assertThat(found.find()).as("the one-time password in server.log").isTrue();
    oneTimePassword = found.group(1);
  }

  @BeforeEach
  void onlyForPayara() {
    assumeTrue(
        onPayara(),
        "PayaraServerIT tests Payara Server; -Dit.server="
            + System.getProperty("it.server")
            + " chooses the server of the other integration tests only");
  }

  @AfterAll
  static void stopAndDeleteDomain() {
    if (domain != null) {
      long stopping = System.nanoTime();
      domain.close();
      System.out.printf(
          "PayaraServerIT: domain stopped and deleted in %.1f s; %.1f s in all%n",
          (System.nanoTime() - stopping) / 1e9, (System.nanoTime() - startedAt) / 1e9);
      assertThat(domain.serverJvms()).as("server JVMs left running").isEmpty();
      assertThat(domain.directory()).doesNotExist();
    }
  }

  @Test
  @Order(1)
  void bootstrapAdministratorReplacesTheOneTimePasswordThenUsesAndRefreshesTokens() {
    var refused = api.post("/api/v1/auth/login", credentials(ADMIN, oneTimePassword));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.code()).isEqualTo("PASSWORD_CHANGE_REQUIRED");

    var changed =
        api.post(
            "/api/v1/auth/password",
            Json.createObjectBuilder()
                .add("username", ADMIN)
                .add("password", oneTimePassword)
                .add("new_password", ADMIN_PASSWORD)
                .build()
                .toString());
    assertThat(changed.status()).isEqualTo(200);
    assertThat(changed.json().getString("access_token")).isNotBlank();
    assertThat(api.post("/api/v1/auth/login", credentials(ADMIN, oneTimePassword)).status())
        .as("the one-time password is spent")
        .isEqualTo(401);

    var login = api.post("/api/v1/auth/login", credentials(ADMIN, ADMIN_PASSWORD));
    assertThat(login.status()).isEqualTo(200);
    assertThat(login.header("Cache-Control")).contains("no-store");
    assertNoServerIdentity(login);
    var tokens = login.json();
    assertThat(tokens.getString("token_type")).isEqualTo("Bearer");
    String access = tokens.getString("access_token");
    String refresh = tokens.getString("refresh_token");

    var me = api.get("/api/v1/me", "Authorization", bearer(access));
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().getString("username")).isEqualTo(ADMIN);
    assertThat(me.json().getString("auth_method")).isEqualTo("jwt");
    assertThat(me.json().getJsonArray("roles").toString()).contains("\"admin\"");
    assertThat(publishedKeyIds()).as("the JWKS publishes the token's key").contains(keyId(access));

    var refreshed = api.post("/api/v1/auth/refresh", refreshBody(refresh));
    assertThat(refreshed.status()).isEqualTo(200);
    String access2 = refreshed.json().getString("access_token");
    String refresh2 = refreshed.json().getString("refresh_token");
    assertThat(refresh2).isNotEqualTo(refresh);
    assertThat(api.get("/api/v1/me", "Authorization", bearer(access2)).status()).isEqualTo(200);

    var reuse = api.post("/api/v1/auth/refresh", refreshBody(refresh));
    assertThat(reuse.status()).isEqualTo(401);
    assertThat(reuse.header("Content-Type")).startsWith("application/problem+json");
    assertThat(reuse.code()).isEqualTo("REFRESH_TOKEN_REUSED");
    assertThat(api.post("/api/v1/auth/refresh", refreshBody(refresh2)).status())
        .as("reuse revokes the whole family, successor included")
        .isEqualTo(401);
    var afterReuse = api.get("/api/v1/me", "Authorization", bearer(access2));
    assertThat(afterReuse.status()).isEqualTo(401);
    assertThat(afterReuse.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
  }

  @Test
  @Order(2)
  void apiKeyIsCreatedUsedRefusedBeyondItsScopeAndRevoked() {
    String name = unique("ps-keyowner");
    api.createUser(name, PASSWORD, "user");
    String token = api.login(name, PASSWORD).getString("access_token");

    var created =
        api.post(
            "/api/v1/keys",
            "{\"name\":\"payara server\",\"scopes\":[\"user\"]}",
            "Authorization",
            bearer(token));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String key = created.json().getString("key");
    String id = created.json().getString("id");
    assertThat(key).matches("ptc_[a-z2-7]{16}_[0-9A-Za-z]{49}").startsWith("ptc_" + id + "_");

    var me = api.get("/api/v1/me", "X-API-Key", key);
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().getString("auth_method")).isEqualTo("api_key");
    assertThat(me.json().getString("key_id")).isEqualTo(id);
    assertThat(me.json().getString("username")).isEqualTo(name);
    assertNoServerIdentity(me);

    var admin = api.get("/api/v1/admin/users", "X-API-Key", key);
    assertThat(admin.status()).as("a user-scoped key on an admin route").isEqualTo(403);
    assertThat(admin.code()).isEqualTo("FORBIDDEN");
    assertThat(
            api.post("/api/v1/keys", "{\"name\":\"self\",\"scopes\":[\"user\"]}", "X-API-Key", key)
                .status())
        .as("a key cannot mint keys")
        .isEqualTo(403);

    var revoke =
        api.send(
            HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/v1/keys/" + id)).DELETE(),
            "Authorization",
            bearer(token));
    assertThat(revoke.status()).isEqualTo(204);
    long revokedAt = System.nanoTime();
    Api.Reply refused;
    do {
      refused = api.get("/api/v1/me", "X-API-Key", key);
    } while (refused.status() == 200 && System.nanoTime() - revokedAt < 1_000_000_000L);
    assertThat(refused.status()).as("revoked within one second").isEqualTo(401);
    assertThat(refused.code()).isEqualTo("INVALID_API_KEY");
    assertThat(refused.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
    assertThat(refused.body()).doesNotContain(key);
  }

  @Test
  @Order(3)
  void browserSignsInOnTheLoginPageAndReachesTheAccountPage() {
    Browsers.assumeInstalled();
    String name = unique("ps-browser");
    api.createUser(name, PASSWORD, "user");
    WebDriver browser = browsers.open();

    browser.get(domain.baseUrl() + "/account");
    assertThat(path(browser)).as("anonymous /account goes to the login page").isEqualTo("/login");
    browser.findElement(By.id("login:username")).sendKeys(name);
    browser.findElement(By.id("login:password")).sendKeys(PASSWORD);
    browser.findElement(By.id("login:submit")).click();
    new WebDriverWait(browser, WAIT)
        .withMessage(() -> "expected /account but the browser is at " + browser.getCurrentUrl())
        .until(d -> "/account".equals(path(d)));
    assertThat(browser.findElement(By.id("account-username")).getText()).contains(name);

    Cookie cookie = browser.manage().getCookieNamed(COOKIE);
    assertThat(cookie).as("the browser holds " + COOKIE).isNotNull();
    assertThat(cookie.isHttpOnly()).as("HttpOnly").isTrue();
    assertThat(cookie.isSecure()).as("Secure").isTrue();
    assertThat(cookie.getSameSite()).isEqualTo("Lax");
    assertThat(
            String.valueOf(((JavascriptExecutor) browser).executeScript("return document.cookie")))
        .as("document.cookie")
        .doesNotContain(COOKIE);

    var me = api.get("/api/v1/me", "Cookie", COOKIE + "=" + cookie.getValue());
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().getString("username")).isEqualTo(name);
    assertThat(me.json().getString("auth_method")).isEqualTo("session");
  }

  @Test
  @Order(4)
  void noServerIdentityJwksServedAndPayaraEndpointsOff() {
    for (String path : List.of("/login", "/api/v1/me", "/health/ready")) {
      assertNoServerIdentity(api.get(path));
    }
    var jwks = api.get("/.well-known/jwks.json");
    assertThat(jwks.status()).isEqualTo(200);
    assertThat(jwks.header("Content-Type")).startsWith("application/jwk-set+json");
    assertNoServerIdentity(jwks);
    var keys = jwks.json().getJsonArray("keys");
    assertThat(keys).isNotEmpty();
    for (var key : keys) {
      var jwk = key.asJsonObject();
      assertThat(jwk.getString("kid")).isNotBlank();
      assertThat(jwk.containsKey("d")).as("no private key part").isFalse();
    }
    // Payara Server's own MicroProfile endpoints (server-commands.asadmin) and its error page
    for (String path : List.of("/metrics", "/openapi", "/health", "/api/v1/nothing-here")) {
      var reply = api.get(path);
      assertThat(reply.status()).as(path + " " + reply.body()).isEqualTo(404);
      assertThat(reply.header("Content-Type")).as(path).startsWith("application/problem+json");
      assertThat(reply.code()).as(path).isEqualTo("NOT_FOUND");
      assertThat(reply.body()).as(path).doesNotContainIgnoringCase("payara");
      assertNoServerIdentity(reply);
    }
  }

  @Test
  @Order(5)
  void serverJvmRunsWithTheJitDirectivesOfJvmOptions() throws IOException {
    var jvms = domain.serverJvms();
    assertThat(jvms).as("one server JVM").hasSize(1);
    List<String> arguments = PayaraServerDomain.arguments(jvms.get(0));
    Path file = domain.directory().resolve("config").resolve(COMPILE_COMMANDS_FILE);
    assertThat(arguments).contains("-XX:CompileCommandFile=" + file);
    assertThat(arguments)
        .as("Payara Server keeps only the last of several -XX:CompileCommand options")
        .noneMatch(a -> a.startsWith(COMPILE_COMMAND));
    assertThat(Files.readString(file)).isEqualTo(compileCommands());
    assertThat(compileCommands()).contains("::quarterRound", "::roundFunction", "::access$700");
  }

  // --- the README's steps, as data ---

  /** The settings of README step 2 (everything a server needs; the master key in a file). */
  private static Map<String, String> settings(Path workDir) throws IOException {
    Path masterKey = workDir.resolve("master.key");
    Files.createFile(
        masterKey,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(masterKey, PortcullisServer.random(32));
    var settings = new LinkedHashMap<String, String>();
    settings.put("portcullis.master-key-file", masterKey.toString());
    settings.put("portcullis.issuer", "https://portcullis.it.test");
    settings.put("portcullis.data-dir", workDir.resolve("data").toString());
    PortcullisServer.freshDatabase(NAME, workDir)
        .forEach(
            (variable, value) -> settings.put(variable.toLowerCase().replace('_', '.'), value));
    if (settings.get("portcullis.db.url").startsWith("jdbc:postgresql:")) {
      // payara/run.sh adds these on Payara Micro; on Payara Server they go in the URL
      // (operations.md)
      settings.merge(
          "portcullis.db.url", "?connectTimeout=5&socketTimeout=5&loginTimeout=5", String::concat);
    }
    return settings;
  }

  /**
   * {@code name=value:name=value} for {@code create-system-properties}, with every {@code :} and
   * {@code =} in a value escaped ({@code jdbc\:h2\:file\:...;DB_CLOSE_ON_EXIT\=FALSE}). An empty
   * value (e.g. {@code -Dit.db.password=} for a trust-authenticated PostgreSQL) is left out: the
   * command refuses it ("missing property value").
   */
  static String systemProperties(Map<String, String> settings) {
    var properties = new ArrayList<String>();
    settings.forEach(
        (name, value) -> {
          if (!value.isEmpty()) {
            properties.add(name + "=" + value.replace(":", "\\:").replace("=", "\\="));
          }
        });
    return String.join(":", properties);
  }

  /**
   * The {@code -XX:CompileCommand} values of {@code payara/jvm.options}, one a line: the file that
   * README step 3 gives the server with one {@code -XX:CompileCommandFile} option, because Payara
   * Server passes only the last of several options with the same name to the JVM. Fails when the
   * file gains another kind of option, which step 3 would then have to describe.
   */
  private static String compileCommands() throws IOException {
    var commands = new StringBuilder();
    for (String line : Files.readAllLines(Path.of("payara", "jvm.options"))) {
      String option = line.strip();
      if (option.isEmpty() || option.startsWith("#")) {
        continue;
      }
      assertThat(option)
          .as("README 'Deploying on Payara Server' step 3 covers -XX:CompileCommand options only")
          .startsWith(COMPILE_COMMAND);
      commands.append(option.substring(COMPILE_COMMAND.length())).append('\n');
    }
    return commands.toString();
  }

  // --- helpers ---

  private static boolean onPayara() {
    return "payara".equals(System.getProperty("it.server", "payara"));
  }

  /** Appends how long {@code step} took (since the previous lap) to {@code timings}. */
  private static void lap(StringBuilder timings, String step) {
    long now = System.nanoTime();
    timings.append(String.format("%s %.1f s; ", step, (now - lastLap) / 1e9));
    lastLap = now;
  }

  private static void assertNoServerIdentity(Api.Reply reply) {
    assertThat(reply.header("Server")).as("Server header").isNull();
    assertThat(reply.header("X-Powered-By")).as("X-Powered-By header").isNull();
  }

  private static String refreshBody(String refreshToken) {
    return "{\"refresh_token\":\"" + refreshToken + "\"}";
  }

  private static String keyId(String jwt) {
    String header =
        new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]), StandardCharsets.UTF_8);
    try (var reader = Json.createReader(new StringReader(header))) {
      return reader.readObject().getString("kid");
    }
  }

  private static List<String> publishedKeyIds() {
    return api.get("/.well-known/jwks.json").json().getJsonArray("keys").stream()
        .map(key -> ((JsonObject) key).getString("kid"))
        .toList();
  }

  private static String path(WebDriver browser) {
    return URI.create(browser.getCurrentUrl()).getPath();
  }
}
