package dev.portcullis.it;

import static dev.portcullis.it.Api.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.nimbusds.jwt.SignedJWT;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The edge of Portcullis on a server of its own that serves TLS (HTTP/1.1 and HTTP/2) and trusts
 * 127.0.0.1 as a proxy, so each test can speak for a client address of its own through {@code
 * X-Forwarded-For} (issue 13):
 *
 * <ul>
 *   <li>item 7: an HTTP/2 body without {@code content-length} is held to the body limit (413),
 *       whatever the method;
 *   <li>item 14: the HTTPS listener names no server ({@code Server}, {@code X-Powered-By});
 *   <li>item 16: only the right-most {@code X-Forwarded-Proto} value, the trusted hop's, counts;
 *       user-agent bytes reach the log escaped;
 *   <li>item 13: refused bearer tokens (a revoked {@code sid} named), 429s (mechanism, JSON API,
 *       login page) and CSRF refusals are audit events, and a flood is aggregated: the first of a
 *       kind written at once, the rest counted into one event when the window (4 s here) ends.
 * </ul>
 */
class EdgeIT {

  private static final int LIMIT = 64 * 1024;
  private static final Duration WINDOW = Duration.ofSeconds(4);
  private static final String AUDIT = "/api/v1/admin/audit";
  private static final Pattern VIEW_STATE =
      Pattern.compile("name=\"jakarta.faces.ViewState\"[^>]*value=\"([^\"]+)\"");
  private static final Pattern REPEATED = Pattern.compile("repeated=(\\d+) since=\\S+ until=\\S+");

  private static PortcullisServer server;
  private static int httpsPort;
  private static Api api;
  private static String admin;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(
        System.getProperty("it.baseUrl", "").isBlank(),
        "needs a server of its own; not available against an external server");
    try (var socket = new ServerSocket(0)) {
      httpsPort = socket.getLocalPort();
    }
    server =
        PortcullisServer.start(
            "edge",
            Map.of(
                "PORTCULLIS_TRUSTED_PROXIES",
                "127.0.0.1",
                "PORTCULLIS_TLS_KEYSTORE",
                SelfSignedTls.keystore("edge").toString(),
                "PORTCULLIS_TLS_KEYSTORE_PASSWORD",
                SelfSignedTls.PASSWORD,
                "HTTPS_PORT",
                Integer.toString(httpsPort),
                "PORTCULLIS_AUDIT_REFUSAL_WINDOW",
                WINDOW.toString(),
                "PORTCULLIS_RATE_LIMIT_IP_ATTEMPTS",
                "30",
                "PORTCULLIS_RATE_LIMIT_API_KEY_FAILURES",
                "3"));
    api = new Api(server);
    var login =
        api.post(
            "/api/v1/auth/login",
            Api.credentials(server.adminUsername(), server.adminPassword()),
            "X-Forwarded-For",
            "192.0.2.250");
    assertThat(login.status()).as(login.body()).isEqualTo(200);
    admin = bearer(login.json().getString("access_token"));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop();
    }
  }

  // item 7 ---------------------------------------------------------------------------------------

  @Test
  void http2BodiesWithoutALengthAreHeldToTheLimitWhateverTheMethod() throws Exception {
    var client = SelfSignedTls.client(HttpClient.Version.HTTP_2);
    for (String method : List.of("POST", "PUT", "PATCH", "DELETE")) {
      var reply =
          client.send(
              https("/api/v1/auth/login")
                  .header("Content-Type", "application/json")
                  .method(method, unknownLength(LIMIT * 3))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(reply.version()).as("spoken over HTTP/2").isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(reply.statusCode()).as(method + " " + reply.body()).isEqualTo(413);
      assertThat(reply.body()).contains("\"code\":\"PAYLOAD_TOO_LARGE\"");
    }

    var small =
        client.send(
            https("/api/v1/auth/login")
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofString(
                            Api.credentials(Api.unique("nobody"), "Wr0ng-password"))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(small.statusCode())
        .as("a small body of unknown length reaches the endpoint: " + small.body())
        .isEqualTo(401);

    var page = client.send(https("/login").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).as("a page over HTTP/2").isEqualTo(200);
    Matcher state = VIEW_STATE.matcher(page.body());
    assertThat(state.find()).isTrue();
    var form =
        client.send(
            https("/login")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header(
                    "Cookie",
                    page.headers().allValues("set-cookie").stream()
                        .filter(c -> c.startsWith("JSESSIONID="))
                        .map(c -> c.substring(0, c.indexOf(';')))
                        .findFirst()
                        .orElseThrow())
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "login=login&login%3Anext=&login%3Ausername="
                            + Api.unique("h2")
                            + "&login%3Apassword=wrong&login%3Asubmit=Sign+in"
                            + "&jakarta.faces.ViewState="
                            + Api.formEncode(state.group(1))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(form.statusCode())
        .as("a form post with its length reaches the page over HTTP/2: " + form.body())
        .isEqualTo(200);
    assertThat(form.body()).contains("Invalid username or password.");

    var declared =
        client.send(
            https("/api/v1/auth/login")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(jsonOfSize(LIMIT + 1)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(declared.statusCode()).isEqualTo(413);
  }

  // item 14 --------------------------------------------------------------------------------------

  @Test
  void theHttpsListenerNamesNoServer() throws Exception {
    for (var version : List.of(HttpClient.Version.HTTP_1_1, HttpClient.Version.HTTP_2)) {
      var client = SelfSignedTls.client(version);
      for (String path : List.of("/login", "/health/live", "/api/v1/me", "/no-such-page")) {
        var reply = client.send(https(path).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(reply.version()).isEqualTo(version);
        assertThat(reply.headers().firstValue("Server")).as(version + " " + path).isEmpty();
        assertThat(reply.headers().firstValue("X-Powered-By")).as(version + " " + path).isEmpty();
      }
    }
  }

  // item 16 --------------------------------------------------------------------------------------

  @Test
  void onlyTheForwardedProtoTheTrustedHopWroteCounts() {
    assertThat(hsts("X-Forwarded-Proto", "https, http"))
        .as("the client wrote https; the proxy was reached over plain HTTP")
        .isNull();
    assertThat(hsts("X-Forwarded-Proto", "http, https")).as("the proxy appended https").isNotNull();
    assertThat(hsts("X-Forwarded-Proto", "https", "X-Forwarded-Proto", "http"))
        .as("with several headers, the last")
        .isNull();
    assertThat(hsts("X-Forwarded-Proto", "http", "X-Forwarded-Proto", "https")).isNotNull();
    assertThat(hsts("X-Forwarded-Proto", "https")).isNotNull();
  }

  @Test
  void userAgentBytesReachTheLogEscaped() throws Exception {
    // Grizzly reads header bytes as ISO-8859-1 (and refuses any byte above 0x7f over HTTP/1.1), so
    // a UTF-8 U+2028, U+202E or U+200F arrives as three characters, one of them a C1 control.
    String utf8AsLatin1 =
        new String(
            "probe\u2028[INFO] forged\u202Eevil\u200Fend".getBytes(StandardCharsets.UTF_8),
            StandardCharsets.ISO_8859_1);
    String requestId = Api.unique("escape");
    var reply =
        SelfSignedTls.client(HttpClient.Version.HTTP_2)
            .send(
                https("/api/v1/auth/login")
                    .header("Content-Type", "application/json")
                    .header("User-Agent", utf8AsLatin1)
                    .header("X-Request-Id", requestId)
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            Api.credentials(Api.unique("nobody"), "Wr0ng-password")))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(reply.statusCode()).isEqualTo(401);

    String line = awaitLogLine(requestId);
    assertThat(line).contains("ua=\"probe").contains("\\u0080").contains("forged");
    for (char c = 0x80; c <= 0x9f; c++) {
      assertThat(line.indexOf(c)).as("raw C1 control U+%04X", (int) c).isNegative();
    }
    for (char c :
        "\u2028\u2029\u061C\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2066\u2069".toCharArray()) {
      assertThat(line.indexOf(c)).as("raw U+%04X", (int) c).isNegative();
    }
  }

  // item 13 --------------------------------------------------------------------------------------

  @Test
  void aFloodOfGarbageTokensIsAuditedOnceAndThenCounted() {
    String source = "198.51.100.13";
    int flood = 25;
    for (int i = 0; i < flood; i++) {
      var reply =
          api.get(
              "/api/v1/me", "Authorization", "Bearer not-a-jwt-" + i, "X-Forwarded-For", source);
      assertThat(reply.status()).isEqualTo(401);
      assertThat(reply.code()).isEqualTo("INVALID_TOKEN");
    }
    var first = events("ACCESS_TOKEN_REFUSED", source);
    assertThat(first).as("the first is written before its answer leaves").isNotEmpty();
    assertThat(first.get(first.size() - 1).getString("reason")).isEqualTo("MALFORMED");
    assertThat(first.get(first.size() - 1).getString("outcome")).isEqualTo("FAILURE");

    var all = awaitCounted("ACCESS_TOKEN_REFUSED", source, flood);
    assertThat(all.size()).as("rows for %d refusals", flood).isLessThanOrEqualTo(4);
    assertThat(all).allSatisfy(e -> assertThat(e.getString("reason")).isEqualTo("MALFORMED"));
    assertThat(all).anySatisfy(e -> assertThat(e.getString("detail", "")).matches(REPEATED));
    String aggregate =
        all.stream()
            .map(e -> e.getString("detail", ""))
            .filter(d -> REPEATED.matcher(d).matches())
            .findFirst()
            .orElseThrow();
    awaitLog(
        "audit type=ACCESS_TOKEN_REFUSED outcome=FAILURE reason=\"MALFORMED\" subject=- actor=-"
            + " ip=\""
            + source
            + "\" ua=- request=- detail=\""
            + aggregate
            + "\"");
  }

  @Test
  void aRevokedSidIsAuditedWithTheSid() throws Exception {
    String source = "198.51.100.14";
    String name = Api.unique("revoked");
    var created =
        api.post(
            "/api/v1/admin/users",
            "{\"username\":\"" + name + "\",\"password\":\"Rev0ked-Sid-1\",\"roles\":[\"user\"]}",
            "Authorization",
            admin);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String userId = created.json().getString("id");
    var login =
        api.post(
            "/api/v1/auth/login",
            Api.credentials(name, "Rev0ked-Sid-1"),
            "X-Forwarded-For",
            source);
    String token = login.json().getString("access_token");
    String sid = (String) SignedJWT.parse(token).getJWTClaimsSet().getClaim("sid");
    assertThat(
            api.post(
                    "/api/v1/auth/logout",
                    null,
                    "Authorization",
                    bearer(token),
                    "X-Forwarded-For",
                    source)
                .status())
        .isEqualTo(204);

    var refused = api.get("/api/v1/me", "Authorization", bearer(token), "X-Forwarded-For", source);
    assertThat(refused.status()).isEqualTo(401);

    var events = events("ACCESS_TOKEN_REFUSED", source);
    assertThat(events).hasSize(1);
    var event = events.get(0);
    assertThat(event.getString("reason")).isEqualTo("REVOKED_SID");
    assertThat(event.getString("subject")).isEqualTo(userId);
    assertThat(event.getString("detail")).isEqualTo("sid=" + sid);
    assertThat(event.toString()).doesNotContain(token);
  }

  @Test
  void tooManyFailedApiKeysAnswer429AndTheRefusalsAreAudited() {
    String source = "198.51.100.15";
    int attempts = 12;
    int limited = 0;
    for (int i = 0; i < attempts; i++) {
      var reply = api.get("/api/v1/me", "X-API-Key", "ptc_garbage_" + i, "X-Forwarded-For", source);
      assertThat(reply.status()).isIn(401, 429);
      if (reply.status() == 429) {
        limited++;
        assertThat(reply.header("Retry-After")).isNotNull();
      }
    }
    assertThat(limited).as("beyond 3 failures a minute").isGreaterThanOrEqualTo(attempts - 3);

    var all = awaitCounted("RATE_LIMITED", source, limited);
    assertThat(all.size()).isLessThan(limited);
    assertThat(all)
        .allSatisfy(
            e -> {
              assertThat(e.getString("reason")).isEqualTo("AUTHENTICATION");
              assertThat(e.getString("detail")).startsWith("endpoint=ApiKey");
            });
  }

  @Test
  void tooManyLoginsAnswer429OnTheApiAndThePageAndAreAudited() {
    String source = "198.51.100.16";
    int limited = 0;
    // the bucket refills one attempt every 2 s, so count until a few attempts have been refused
    for (int i = 0; i < 90 && limited < 3; i++) {
      var reply =
          api.post(
              "/api/v1/auth/login",
              Api.credentials(Api.unique("nobody"), "Wr0ng-password"),
              "X-Forwarded-For",
              source);
      assertThat(reply.status()).isIn(401, 429);
      if (reply.status() == 429) {
        limited++;
        assertThat(reply.code()).isEqualTo("RATE_LIMITED");
        assertThat(reply.header("Retry-After")).isNotNull();
      }
    }
    assertThat(limited).as("beyond 30 attempts a minute").isEqualTo(3);

    int pageLimited = 0;
    for (int i = 0; i < 10 && pageLimited == 0; i++) {
      var form = submitLoginForm(source);
      assertThat(form.status()).as(form.body()).isIn(200, 429);
      if (form.status() == 429) {
        pageLimited++;
        assertThat(form.body()).contains("Too many attempts");
      }
    }
    assertThat(pageLimited).as("the login page answers 429 too").isEqualTo(1);

    var events = awaitCounted("RATE_LIMITED", source, limited + pageLimited);
    assertThat(events)
        .anySatisfy(
            e -> {
              assertThat(e.getString("reason")).isEqualTo("API");
              assertThat(e.getString("detail")).startsWith("endpoint=AuthResource.");
            });
    assertThat(events).anySatisfy(e -> assertThat(e.getString("reason")).isEqualTo("LOGIN_PAGE"));
  }

  @Test
  void csrfRefusalsAreAudited() {
    String source = "198.51.100.17";
    String name = Api.unique("csrf");
    var created =
        api.post(
            "/api/v1/admin/users",
            "{\"username\":\"" + name + "\",\"password\":\"Csrf-Refused-1\",\"roles\":[\"user\"]}",
            "Authorization",
            admin);
    String userId = created.json().getString("id");
    String cookie = api.formLogin(name, "Csrf-Refused-1", "/account");
    assertThat(cookie).isNotNull();

    var api403 =
        api.post(
            "/api/v1/keys",
            "{\"name\":\"k\",\"scopes\":[\"user\"]}",
            "Cookie",
            "__Host-portcullis=" + cookie,
            "X-Forwarded-For",
            source);
    assertThat(api403.status()).as(api403.body()).isEqualTo(403);
    assertThat(api403.code()).isEqualTo("CSRF_REJECTED");

    var logout403 =
        api.send(
            HttpRequest.newBuilder(URI.create(api.baseUrl() + "/logout"))
                .POST(HttpRequest.BodyPublishers.ofString("csrf=whatever")),
            "Content-Type",
            "application/x-www-form-urlencoded",
            "Origin",
            "https://evil.example",
            "Cookie",
            "__Host-portcullis=" + cookie,
            "X-Forwarded-For",
            source);
    assertThat(logout403.status()).isEqualTo(403);

    var events = events("CSRF_REJECTED", source);
    assertThat(events).hasSize(2);
    var byReason = events.stream().collect(Collectors.toMap(e -> e.getString("reason"), e -> e));
    assertThat(byReason).containsOnlyKeys("BAD_TOKEN", "CROSS_ORIGIN");
    assertThat(byReason.get("BAD_TOKEN").getString("subject")).isEqualTo(userId);
    assertThat(byReason.get("BAD_TOKEN").getString("detail"))
        .startsWith("endpoint=ApiKeyResource.");
    assertThat(byReason.get("CROSS_ORIGIN").getString("detail")).isEqualTo("endpoint=logout");
  }

  // helpers --------------------------------------------------------------------------------------

  /** Submits the login form with a wrong password, as a browser at {@code source} would. */
  private static Api.Reply submitLoginForm(String source) {
    var page = api.get("/login");
    Matcher state = VIEW_STATE.matcher(page.body());
    assertThat(state.find()).as(page.body()).isTrue();
    return api.send(
        HttpRequest.newBuilder(URI.create(api.baseUrl() + "/login"))
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "login=login&login%3Anext=&login%3Ausername=nobody&login%3Apassword=wrong"
                        + "&login%3Asubmit=Sign+in&jakarta.faces.ViewState="
                        + Api.formEncode(state.group(1)))),
        "Content-Type",
        "application/x-www-form-urlencoded",
        "Cookie",
        "JSESSIONID=" + Api.cookie(page, "JSESSIONID"),
        "X-Forwarded-For",
        source);
  }

  private static HttpRequest.Builder https(String path) {
    return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + httpsPort + path))
        .timeout(Duration.ofSeconds(30));
  }

  /** A JSON-looking body of {@code size} bytes sent without a length (HTTP/2 DATA, or chunked). */
  private static HttpRequest.BodyPublisher unknownLength(int size) {
    return HttpRequest.BodyPublishers.fromPublisher(
        HttpRequest.BodyPublishers.ofByteArray(jsonOfSize(size)));
  }

  private static byte[] jsonOfSize(int size) {
    byte[] body = new byte[size];
    Arrays.fill(body, (byte) ' ');
    body[0] = '{';
    body[size - 1] = '}';
    return body;
  }

  private static String hsts(String... headers) {
    return api.get("/health/live", headers).header("Strict-Transport-Security");
  }

  /** The audit events of {@code type} from {@code source}, newest first. */
  private static List<JsonObject> events(String type, String source) {
    var reply = api.get(AUDIT + "?type=" + type + "&limit=500", "Authorization", admin);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json().getJsonArray("items").getValuesAs(JsonObject.class).stream()
        .filter(e -> source.equals(e.getString("client_ip", null)))
        .toList();
  }

  /**
   * Waits (up to the window and then some) until the events of {@code type} from {@code source}
   * account for {@code refusals}: one for each written event, plus each aggregate's count.
   */
  private static List<JsonObject> awaitCounted(String type, String source, int refusals) {
    Instant deadline = Instant.now().plus(WINDOW.multipliedBy(3)).plusSeconds(10);
    List<JsonObject> found;
    long counted;
    do {
      found = events(type, source);
      counted = found.stream().mapToLong(EdgeIT::refusalsIn).sum();
      if (counted >= refusals) {
        break;
      }
      sleep(500);
    } while (Instant.now().isBefore(deadline));
    assertThat(counted).as("refusals accounted for by " + found).isEqualTo(refusals);
    return found;
  }

  private static long refusalsIn(JsonObject event) {
    var repeated = REPEATED.matcher(event.getString("detail", ""));
    return repeated.find() ? Long.parseLong(repeated.group(1)) : 1;
  }

  private static String awaitLogLine(String requestId) throws Exception {
    Instant deadline = Instant.now().plusSeconds(10);
    while (Instant.now().isBefore(deadline)) {
      for (String line : logText().split("\n")) {
        if (line.contains("audit type=") && line.contains(requestId)) {
          return line;
        }
      }
      sleep(200);
    }
    throw new AssertionError("no audit line for request " + requestId + "\n" + server.tail());
  }

  /** Waits until the server log holds {@code fragment}: the aggregate's log line and its count. */
  private static void awaitLog(String fragment) {
    Instant deadline = Instant.now().plusSeconds(10);
    while (!logText().contains(fragment)) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("no log line with " + fragment + "\n" + server.tail());
      }
      sleep(200);
    }
  }

  private static String logText() {
    try {
      return new String(Files.readAllBytes(server.logFile()), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
