package dev.portcullis.it;

import static dev.portcullis.it.Api.bearer;
import static dev.portcullis.it.Api.credentials;
import static dev.portcullis.it.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rate limits and lock-out on a server of its own with tight limits. 127.0.0.1 is its one trusted
 * proxy, so each test speaks for its own client addresses through {@code X-Forwarded-For}; a raw
 * socket bound to 127.0.0.2 plays an untrusted client that tries to rotate addresses with the same
 * header.
 */
class RateLimitIT {

  private static final int IP_ATTEMPTS = 12;
  private static final int ACCOUNT_FAILURES = 6;
  private static final int LOCK_THRESHOLD = 3;
  private static final int API_KEY_FAILURES = 4;
  private static final String PASSWORD = "Rate-Limit-Pass1";
  private static final String DEVICE_COOKIE = "__Host-portcullis-device";
  private static final AtomicInteger NEXT_IP = new AtomicInteger(1);

  private static PortcullisServer server;

  @BeforeAll
  static void start() {
    assumeTrue(
        System.getProperty("it.baseUrl", "").isBlank(),
        "needs a server of its own with tight limits");
    server =
        PortcullisServer.start(
            "ratelimit",
            Map.of(
                "PORTCULLIS_TRUSTED_PROXIES", "127.0.0.1",
                "PORTCULLIS_RATE_LIMIT_IP_ATTEMPTS", Integer.toString(IP_ATTEMPTS),
                "PORTCULLIS_RATE_LIMIT_IP_PERIOD", "PT1M",
                "PORTCULLIS_RATE_LIMIT_ACCOUNT_FAILURES", Integer.toString(ACCOUNT_FAILURES),
                "PORTCULLIS_RATE_LIMIT_ACCOUNT_PERIOD", "PT10M",
                "PORTCULLIS_RATE_LIMIT_API_KEY_FAILURES", Integer.toString(API_KEY_FAILURES),
                "PORTCULLIS_RATE_LIMIT_LOCKOUT_THRESHOLD", Integer.toString(LOCK_THRESHOLD),
                "PORTCULLIS_RATE_LIMIT_LOCKOUT_BASE_DURATION", "PT2M",
                "PORTCULLIS_RATE_LIMIT_LOCKOUT_MAX_DURATION", "PT5M"));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop();
    }
  }

  /** A fresh client address (TEST-NET-2) for the trusted proxy to forward. */
  private static String newIp() {
    int n = NEXT_IP.getAndIncrement();
    return "198.51." + (100 + n / 250) + "." + (1 + n % 250);
  }

  private static Api.Reply login(Api api, String ip, String user, String password, String... more) {
    var headers = new String[more.length + 2];
    headers[0] = "X-Forwarded-For";
    headers[1] = ip;
    System.arraycopy(more, 0, headers, 2, more.length);
    return api.post("/api/v1/auth/login", credentials(user, password), headers);
  }

  private static String adminToken(Api api) {
    var reply = login(api, newIp(), server.adminUsername(), server.adminPassword());
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json().getString("access_token");
  }

  private static String createUser(Api api, String name) {
    var body =
        "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\",\"roles\":[\"user\"]}";
    var reply =
        api.post(
            "/api/v1/admin/users",
            body,
            "Authorization",
            bearer(adminToken(api)),
            "X-Forwarded-For",
            newIp());
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply.json().getString("id");
  }

  private static void assertRateLimited(Api.Reply reply, int maxSeconds) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(429);
    assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
    assertThat(reply.code()).isEqualTo("RATE_LIMITED");
    assertThat(Integer.parseInt(reply.header("Retry-After"))).isBetween(1, maxSeconds);
  }

  @Test
  void ipGets429AfterTheConfiguredAttemptsWithRetryAfter() {
    var api = new Api(server);
    String ip = newIp();
    for (int i = 1; i <= IP_ATTEMPTS; i++) {
      assertThat(login(api, ip, unique("nobody"), PASSWORD).status())
          .as("attempt " + i)
          .isEqualTo(401);
    }
    // 12 per minute refill one every 5 s.
    assertRateLimited(login(api, ip, unique("nobody"), PASSWORD), 5);
    assertThat(login(api, newIp(), unique("nobody"), PASSWORD).status())
        .as("another address is not limited")
        .isEqualTo(401);
  }

  @Test
  void forwardedForFromAnUntrustedPeerDoesNotRotateTheAddress() {
    int port = URI.create(server.baseUrl()).getPort();
    for (int i = 1; i <= IP_ATTEMPTS; i++) {
      assertThat(rawLogin("127.0.0.2", port, newIp()))
          .as("attempt " + i)
          .startsWith("HTTP/1.1 401");
    }
    String refused = rawLogin("127.0.0.2", port, newIp());
    assertThat(refused).startsWith("HTTP/1.1 429").contains("RATE_LIMITED");
    assertThat(refused.toLowerCase()).contains("retry-after:");

    // Positive control: the same rotation through the trusted proxy is believed.
    var api = new Api(server);
    for (int i = 0; i <= IP_ATTEMPTS + 2; i++) {
      assertThat(login(api, newIp(), unique("nobody"), PASSWORD).status()).isEqualTo(401);
    }
  }

  @Test
  void accountLimitTreatsExistingAndUnknownNamesAlike() {
    var api = new Api(server);
    String name = unique("victim");
    createUser(api, name);
    String ghost = unique("ghost");
    for (String target : new String[] {name, ghost}) {
      for (int i = 1; i <= ACCOUNT_FAILURES; i++) {
        var reply = login(api, newIp(), target, "wrong-" + i + "-password");
        assertThat(reply.status()).as(target + " attempt " + i).isEqualTo(401);
        assertThat(reply.code()).isEqualTo("INVALID_CREDENTIALS");
      }
      assertRateLimited(login(api, newIp(), target, "wrong-password-again"), 600);
    }
  }

  @Test
  void lockedAccountAnswersLikeAWrongPasswordKnownDeviceStillLogsInAdminUnlocks()
      throws IOException {
    var api = new Api(server);
    String name = unique("locked");
    String id = createUser(api, name);
    var first = login(api, newIp(), name, PASSWORD);
    assertThat(first.status()).isEqualTo(200);
    String device = cookie(first.header("Set-Cookie"), DEVICE_COOKIE);
    assertThat(first.header("Set-Cookie")).contains("Secure").contains("HttpOnly");
    assertThat(device).hasSizeGreaterThanOrEqualTo(43);

    String disabledName = unique("disabled");
    String disabledId = createUser(api, disabledName);
    assertThat(
            api.post(
                    "/api/v1/admin/users/" + disabledId + "/disable",
                    null,
                    "Authorization",
                    bearer(adminToken(api)),
                    "X-Forwarded-For",
                    newIp())
                .status())
        .isEqualTo(200);

    Api.Reply wrong = null;
    for (int i = 0; i < LOCK_THRESHOLD; i++) {
      wrong = login(api, newIp(), name, "not-the-password");
      assertThat(wrong.status()).isEqualTo(401);
    }
    var locked = login(api, newIp(), name, PASSWORD);
    var unknown = login(api, newIp(), unique("nobody"), PASSWORD);
    var disabled = login(api, newIp(), disabledName, PASSWORD);
    for (var reply : new Api.Reply[] {locked, unknown, disabled}) {
      assertThat(reply.status()).isEqualTo(401);
      assertThat(reply.body()).isEqualTo(wrong.body());
      assertThat(reply.header("Content-Type")).isEqualTo(wrong.header("Content-Type"));
      assertThat(reply.header("Set-Cookie")).isNull();
      assertThat(reply.header("Retry-After")).isNull();
    }
    assertThat(Files.readString(server.logFile()))
        .as("the lock is audited")
        .contains(
            "audit type=LOCKED_OUT outcome=FAILURE reason=\"TOO_MANY_FAILURES\" subject=\"" + id);

    var fromKnownDevice =
        login(api, newIp(), name, PASSWORD, "Cookie", DEVICE_COOKIE + "=" + device);
    assertThat(fromKnownDevice.status()).as("the owner's device is not locked out").isEqualTo(200);
    var forgedDevice =
        login(api, newIp(), name, PASSWORD, "Cookie", DEVICE_COOKIE + "=forged-value");
    assertThat(forgedDevice.status()).isEqualTo(401);
    assertThat(forgedDevice.body()).isEqualTo(wrong.body());

    String admin = adminToken(api);
    assertThat(
            api.post(
                    "/api/v1/admin/users/" + id + "/unlock",
                    null,
                    "Authorization",
                    bearer(first.json().getString("access_token")))
                .status())
        .as("only admins unlock")
        .isEqualTo(403);
    var unlock =
        api.post("/api/v1/admin/users/" + id + "/unlock", null, "Authorization", bearer(admin));
    assertThat(unlock.status()).isEqualTo(204);
    assertThat(
            api.post(
                    "/api/v1/admin/users/00000000-0000-0000-0000-000000000000/unlock",
                    null,
                    "Authorization",
                    bearer(admin))
                .status())
        .isEqualTo(404);
    assertThat(login(api, newIp(), name, PASSWORD).status()).as("unlocked").isEqualTo(200);
    assertThat(Files.readString(server.logFile()))
        .contains("audit type=USER_UNLOCKED outcome=SUCCESS reason=- subject=\"" + id);
  }

  @Test
  void apiKeyFailuresAreLimitedPerAddress() {
    var api = new Api(server);
    String name = unique("keyowner");
    createUser(api, name);
    String token = user(api, name);
    var created =
        api.post(
            "/api/v1/keys",
            "{\"name\":\"rl\",\"scopes\":[\"user\"]}",
            "Authorization",
            bearer(token),
            "X-Forwarded-For",
            newIp());
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String key = created.json().getString("key");
    String bad = key.substring(0, key.length() - 4) + "AAAA";

    String ip = newIp();
    for (int i = 1; i <= API_KEY_FAILURES; i++) {
      var reply = api.get("/api/v1/me", "X-API-Key", bad, "X-Forwarded-For", ip);
      assertThat(reply.status()).as("failure " + i).isEqualTo(401);
    }
    // 4 per minute refill one every 15 s.
    assertRateLimited(api.get("/api/v1/me", "X-API-Key", bad, "X-Forwarded-For", ip), 15);
    assertRateLimited(api.get("/api/v1/me", "X-API-Key", key, "X-Forwarded-For", ip), 15);
    assertThat(api.get("/api/v1/me", "X-API-Key", key, "X-Forwarded-For", newIp()).status())
        .as("the valid key from another address")
        .isEqualTo(200);
  }

  private static String user(Api api, String name) {
    var reply = login(api, newIp(), name, PASSWORD);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json().getString("access_token");
  }

  private static String cookie(String setCookie, String name) {
    assertThat(setCookie).startsWith(name + "=");
    return setCookie.substring(name.length() + 1, setCookie.indexOf(';'));
  }

  /** A login sent from {@code localAddress} with a forged {@code X-Forwarded-For}. */
  private static String rawLogin(String localAddress, int port, String forwardedFor) {
    byte[] body = credentials(unique("nobody"), PASSWORD).getBytes(StandardCharsets.UTF_8);
    String head =
        "POST /api/v1/auth/login HTTP/1.1\r\n"
            + "Host: 127.0.0.1:"
            + port
            + "\r\nContent-Type: application/json\r\nX-Forwarded-For: "
            + forwardedFor
            + "\r\nContent-Length: "
            + body.length
            + "\r\nConnection: close\r\n\r\n";
    try (var socket = new Socket()) {
      socket.bind(new InetSocketAddress(localAddress, 0));
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout(30_000);
      var out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      var response = new ByteArrayOutputStream();
      socket.getInputStream().transferTo(response);
      return response.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
