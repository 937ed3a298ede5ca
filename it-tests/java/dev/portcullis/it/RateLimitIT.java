package dev.portcullis.it;

import static dev.portcullis.it.Api.bearer;
import static dev.portcullis.it.Api.credentials;
import static dev.portcullis.it.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
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
 * header. {@link #newIp()} is an address in a network (/24) of its own, {@link #neighbour} another
 * address in the same network: the account limits and the lock-out count per account and network.
 */
class RateLimitIT {

  private static final int IP_ATTEMPTS = 12;
  private static final int ACCOUNT_FAILURES = 6;
  private static final int ACCOUNT_CEILING = 12;
  private static final int LOCK_THRESHOLD = 3;
  private static final int KNOWN_DEVICE_FAILURES = 2;
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
            Map.ofEntries(
                Map.entry("PORTCULLIS_TRUSTED_PROXIES", "127.0.0.1"),
                Map.entry("PORTCULLIS_RATE_LIMIT_IP_ATTEMPTS", Integer.toString(IP_ATTEMPTS)),
                Map.entry("PORTCULLIS_RATE_LIMIT_IP_PERIOD", "PT1M"),
                Map.entry(
                    "PORTCULLIS_RATE_LIMIT_ACCOUNT_FAILURES", Integer.toString(ACCOUNT_FAILURES)),
                Map.entry("PORTCULLIS_RATE_LIMIT_ACCOUNT_PERIOD", "PT10M"),
                Map.entry(
                    "PORTCULLIS_RATE_LIMIT_ACCOUNT_CEILING_FAILURES",
                    Integer.toString(ACCOUNT_CEILING)),
                Map.entry("PORTCULLIS_RATE_LIMIT_ACCOUNT_CEILING_PERIOD", "PT10M"),
                Map.entry(
                    "PORTCULLIS_RATE_LIMIT_KNOWN_DEVICE_FAILURES",
                    Integer.toString(KNOWN_DEVICE_FAILURES)),
                Map.entry(
                    "PORTCULLIS_RATE_LIMIT_API_KEY_FAILURES", Integer.toString(API_KEY_FAILURES)),
                Map.entry(
                    "PORTCULLIS_RATE_LIMIT_LOCKOUT_THRESHOLD", Integer.toString(LOCK_THRESHOLD)),
                Map.entry("PORTCULLIS_RATE_LIMIT_LOCKOUT_BASE_DURATION", "PT2M"),
                Map.entry("PORTCULLIS_RATE_LIMIT_LOCKOUT_MAX_DURATION", "PT5M")));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop();
    }
  }

  /** A fresh client address, in a /24 network of its own, for the trusted proxy to forward. */
  private static String newIp() {
    int n = NEXT_IP.getAndIncrement();
    return "10." + (n / 256 % 256) + "." + (n % 256) + ".1";
  }

  /** Another address in the same /24 network as {@code ip}. */
  private static String neighbour(String ip, int host) {
    return ip.substring(0, ip.lastIndexOf('.') + 1) + host;
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
      String attacker = newIp();
      for (int i = 1; i <= ACCOUNT_FAILURES; i++) {
        var reply = login(api, neighbour(attacker, i), target, "wrong-" + i + "-password");
        assertThat(reply.status()).as(target + " attempt " + i).isEqualTo(401);
        assertThat(reply.code()).isEqualTo("INVALID_CREDENTIALS");
      }
      assertRateLimited(login(api, neighbour(attacker, 99), target, "wrong-password-again"), 600);
      // failures spread over many networks reach the account's ceiling, for both names alike
      for (int i = ACCOUNT_FAILURES + 1; i <= ACCOUNT_CEILING; i++) {
        var reply = login(api, newIp(), target, "wrong-" + i + "-password");
        assertThat(reply.status()).as(target + " attempt " + i + " from elsewhere").isEqualTo(401);
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
    String device = Api.cookie(first, DEVICE_COOKIE);
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

    String attacker = newIp();
    Api.Reply wrong = null;
    for (int i = 0; i < LOCK_THRESHOLD; i++) {
      wrong = login(api, neighbour(attacker, 10 + i), name, "not-the-password");
      assertThat(wrong.status()).isEqualTo(401);
    }
    var locked = login(api, neighbour(attacker, 20), name, PASSWORD);
    var unknown = login(api, neighbour(attacker, 21), unique("nobody"), PASSWORD);
    var disabled = login(api, neighbour(attacker, 22), disabledName, PASSWORD);
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
        login(api, neighbour(attacker, 23), name, PASSWORD, "Cookie", DEVICE_COOKIE + "=" + device);
    assertThat(fromKnownDevice.status()).as("the owner's device is not locked out").isEqualTo(200);
    var forgedDevice =
        login(
            api,
            neighbour(attacker, 24),
            name,
            PASSWORD,
            "Cookie",
            DEVICE_COOKIE + "=forged-value");
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
    assertThat(login(api, neighbour(attacker, 25), name, PASSWORD).status())
        .as("unlocked for the network that locked it")
        .isEqualTo(200);
    assertThat(Files.readString(server.logFile()))
        .contains("audit type=USER_UNLOCKED outcome=SUCCESS reason=- subject=\"" + id);
  }

  @Test
  void anAttackerOnOneNetworkCannotLockTheOwnerOut() {
    var api = new Api(server);
    String name = unique("targeted");
    createUser(api, name);
    String attacker = newIp();
    for (int i = 1; i <= ACCOUNT_FAILURES; i++) {
      var reply = login(api, neighbour(attacker, i), name, "guess-" + i);
      assertThat(reply.status()).as("guess " + i).isEqualTo(401);
    }
    assertRateLimited(login(api, neighbour(attacker, 50), name, "guess-again"), 600);

    var owner = login(api, newIp(), name, PASSWORD);
    assertThat(owner.status())
        .as("the owner, on another network and without a device cookie, still logs in")
        .isEqualTo(200);
    assertThat(owner.json().getString("access_token")).isNotBlank();

    assertRateLimited(login(api, neighbour(attacker, 51), name, PASSWORD), 600);
  }

  @Test
  void aDeviceValueTheClientChoseNeverBecomesKnown() {
    var api = new Api(server);
    String name = unique("chosen");
    createUser(api, name);
    String chosen = "my-own-device-value-0123456789abcdefghijklmnopqrstuvwxyz";
    var first = login(api, newIp(), name, PASSWORD, "Cookie", DEVICE_COOKIE + "=" + chosen);
    assertThat(first.status()).isEqualTo(200);
    String issued = Api.cookie(first, DEVICE_COOKIE);
    assertThat(issued).as("the server issues its own value").isNotEqualTo(chosen);
    assertThat(issued).hasSizeGreaterThanOrEqualTo(43);

    String attacker = lockForOneNetwork(api, name);
    var withChosen =
        login(api, neighbour(attacker, 30), name, PASSWORD, "Cookie", DEVICE_COOKIE + "=" + chosen);
    assertThat(withChosen.status()).as("a value the client chose exempts nothing").isEqualTo(401);
    var withIssued =
        login(api, neighbour(attacker, 31), name, PASSWORD, "Cookie", DEVICE_COOKIE + "=" + issued);
    assertThat(withIssued.status()).as("the issued value does").isEqualTo(200);
  }

  @Test
  void theDeviceValueChangesAtEachSuccessAndTheOldOneStopsExempting() {
    var api = new Api(server);
    String name = unique("rotated");
    createUser(api, name);
    String first = Api.cookie(login(api, newIp(), name, PASSWORD), DEVICE_COOKIE);
    var again = login(api, newIp(), name, PASSWORD, "Cookie", DEVICE_COOKIE + "=" + first);
    assertThat(again.status()).isEqualTo(200);
    String second = Api.cookie(again, DEVICE_COOKIE);
    assertThat(second).as("a fresh value at each success").isNotEqualTo(first).isNotBlank();

    String attacker = lockForOneNetwork(api, name);
    var old =
        login(api, neighbour(attacker, 30), name, PASSWORD, "Cookie", DEVICE_COOKIE + "=" + first);
    assertThat(old.status()).as("the retired value exempts nothing").isEqualTo(401);
    var current =
        login(api, neighbour(attacker, 31), name, PASSWORD, "Cookie", DEVICE_COOKIE + "=" + second);
    assertThat(current.status()).as("the current value does").isEqualTo(200);
    String third = Api.cookie(current, DEVICE_COOKIE);
    assertThat(third).isNotEqualTo(second);
    var spent =
        login(api, neighbour(attacker, 32), name, PASSWORD, "Cookie", DEVICE_COOKIE + "=" + second);
    assertThat(spent.status()).as("the value just used was retired by that success").isEqualTo(401);
  }

  @Test
  void aPasswordChangeResetOrDisableForgetsTheUsersDevices() {
    var api = new Api(server);
    String admin = adminToken(api);
    String newPassword = "Rate-Limit-Pass2";

    String changed = unique("changed");
    createUser(api, changed);
    String changedDevice = Api.cookie(login(api, newIp(), changed, PASSWORD), DEVICE_COOKIE);
    var change =
        api.post(
            "/api/v1/auth/password",
            "{\"username\":\""
                + changed
                + "\",\"password\":\""
                + PASSWORD
                + "\",\"new_password\":\""
                + newPassword
                + "\"}",
            "X-Forwarded-For",
            newIp(),
            "Cookie",
            DEVICE_COOKIE + "=" + changedDevice);
    assertThat(change.status()).as(change.body()).isEqualTo(200);

    String reset = unique("reset");
    String resetId = createUser(api, reset);
    String resetDevice = Api.cookie(login(api, newIp(), reset, PASSWORD), DEVICE_COOKIE);
    var resetReply =
        api.post(
            "/api/v1/admin/users/" + resetId + "/password",
            "{\"password\":\"" + newPassword + "\"}",
            "Authorization",
            bearer(admin),
            "X-Forwarded-For",
            newIp());
    assertThat(resetReply.status()).as(resetReply.body()).isEqualTo(204);

    String disabled = unique("reenabled");
    String disabledId = createUser(api, disabled);
    String disabledDevice = Api.cookie(login(api, newIp(), disabled, PASSWORD), DEVICE_COOKIE);
    for (String action : new String[] {"disable", "enable"}) {
      var reply =
          api.post(
              "/api/v1/admin/users/" + disabledId + "/" + action,
              null,
              "Authorization",
              bearer(admin),
              "X-Forwarded-For",
              newIp());
      assertThat(reply.status()).as(action).isEqualTo(200);
    }

    String[][] cases = {
      {changed, newPassword, changedDevice},
      {reset, newPassword, resetDevice},
      {disabled, PASSWORD, disabledDevice},
    };
    for (String[] c : cases) {
      String attacker = lockForOneNetwork(api, c[0]);
      var reply =
          login(api, neighbour(attacker, 30), c[0], c[1], "Cookie", DEVICE_COOKIE + "=" + c[2]);
      assertThat(reply.status()).as(c[0] + ": the device from before is forgotten").isEqualTo(401);
      assertThat(login(api, newIp(), c[0], c[1]).status())
          .as(c[0] + " still logs in from elsewhere")
          .isEqualTo(200);
    }
  }

  @Test
  void aKnownDevicePastItsFailureBudgetIsLockedLikeAnyoneElse() {
    var api = new Api(server);
    String name = unique("stolen");
    createUser(api, name);
    String device = Api.cookie(login(api, newIp(), name, PASSWORD), DEVICE_COOKIE);
    String attacker = lockForOneNetwork(api, name);
    for (int i = 1; i <= KNOWN_DEVICE_FAILURES; i++) {
      var guess =
          login(
              api,
              neighbour(attacker, 30 + i),
              name,
              "device-guess-" + i,
              "Cookie",
              DEVICE_COOKIE + "=" + device);
      assertThat(guess.status()).as("guess " + i + " from the known device").isEqualTo(401);
    }
    var right =
        login(api, neighbour(attacker, 40), name, PASSWORD, "Cookie", DEVICE_COOKIE + "=" + device);
    assertThat(right.status())
        .as("past its budget the device is no longer known, and the network is locked")
        .isEqualTo(401);
    assertThat(right.header("Set-Cookie")).isNull();
    assertThat(login(api, newIp(), name, PASSWORD).status())
        .as("the owner elsewhere still logs in")
        .isEqualTo(200);
  }

  /** Locks {@code name} for a fresh network with wrong passwords; returns an address in it. */
  private static String lockForOneNetwork(Api api, String name) {
    String attacker = newIp();
    for (int i = 0; i < LOCK_THRESHOLD; i++) {
      var reply = login(api, neighbour(attacker, 10 + i), name, "not-the-password-" + i);
      assertThat(reply.status()).isEqualTo(401);
    }
    assertThat(login(api, neighbour(attacker, 20), name, PASSWORD).status())
        .as("locked for that network")
        .isEqualTo(401);
    return attacker;
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
    return Api.rawExchange(localAddress, port, head.getBytes(StandardCharsets.US_ASCII), body);
  }
}
