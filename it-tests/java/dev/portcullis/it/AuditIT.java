package dev.portcullis.it;

import static dev.portcullis.it.Api.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The audit log through its admin API: login outcomes are recorded with their reason, filters and
 * paging work, only admins may read it, 200 parallel logins give exactly 200 rows on an intact
 * chain, and (on a server of its own whose database the test can reach) an edited row and a deleted
 * row are each reported as the first broken link.
 */
@ExtendWith(SharedServer.class)
class AuditIT {

  private static final String AUDIT = "/api/v1/admin/audit";

  @Test
  void loginSuccessAndFailuresAreRecordedWithTheirReason(Api api) {
    String admin = bearer(api.adminToken());
    String name = Api.unique("audited");
    String userId = createUser(api, admin, name).getString("id");
    String agent = Api.unique("AuditIT-agent");

    assertThat(
            api.post(
                    "/api/v1/auth/login",
                    Api.credentials(name, "Wr0ng-Password"),
                    "User-Agent",
                    agent)
                .status())
        .isEqualTo(401);
    assertThat(
            api.post(
                    "/api/v1/auth/login",
                    Api.credentials(name + "-nobody", "Wr0ng-Password"),
                    "User-Agent",
                    agent)
                .status())
        .isEqualTo(401);
    String requestId = Api.unique("req");
    var success =
        api.post(
            "/api/v1/auth/login",
            Api.credentials(name, "Audit-Me-2024"),
            "User-Agent",
            agent,
            "X-Request-Id",
            requestId);
    assertThat(success.status()).isEqualTo(200);
    assertThat(success.header("X-Request-Id")).isEqualTo(requestId);

    var reply = api.get(AUDIT + "?type=LOGIN&limit=50", "Authorization", admin);
    assertThat(reply.status()).isEqualTo(200);
    List<JsonObject> mine =
        reply.json().getJsonArray("items").getValuesAs(JsonObject.class).stream()
            .filter(e -> agent.equals(e.getString("user_agent", null)))
            .toList();
    assertThat(mine).hasSize(3);
    // newest first
    assertThat(mine.get(0).getString("outcome")).isEqualTo("SUCCESS");
    assertThat(mine.get(0).getString("subject")).isEqualTo(userId);
    assertThat(mine.get(0).isNull("reason")).isTrue();
    assertThat(mine.get(0).getString("request_id")).isEqualTo(requestId);
    assertThat(mine.get(1).getString("request_id")).as("assigned when none is sent").isNotBlank();
    assertThat(mine.get(1).getString("outcome")).isEqualTo("FAILURE");
    assertThat(mine.get(1).getString("reason")).isEqualTo("UNKNOWN_USER");
    assertThat(mine.get(1).isNull("subject")).isTrue();
    assertThat(mine.get(2).getString("reason")).isEqualTo("WRONG_PASSWORD");
    assertThat(mine.get(2).getString("subject")).isEqualTo(userId);
    for (var event : mine) {
      assertThat(event.getString("type")).isEqualTo("LOGIN");
      assertThat(event.getString("client_ip")).isNotBlank();
      assertThat(event.getString("record_hash")).matches("[0-9a-f]{64}");
      assertThat(Instant.parse(event.getString("time"))).isBefore(Instant.now().plusSeconds(5));
      assertThat(event.toString()).doesNotContain("Audit-Me-2024", "Wr0ng-Password");
    }
    assertThat(mine.get(0).getJsonNumber("id").longValue())
        .isGreaterThan(mine.get(1).getJsonNumber("id").longValue());
  }

  @Test
  void filtersAndPaging(Api api) {
    String admin = bearer(api.adminToken());
    String name = Api.unique("filtered");
    String userId = createUser(api, admin, name).getString("id");
    Instant start = Instant.now();
    api.post("/api/v1/auth/login", Api.credentials(name, "Wr0ng-Password"));
    api.post("/api/v1/auth/login", Api.credentials(name, "Wr0ng-Password"));
    api.login(name, "Audit-Me-2024");

    String bySubject = AUDIT + "?type=LOGIN&subject=" + userId;
    var all = api.get(bySubject, "Authorization", admin).json();
    assertThat(all.getInt("total")).isEqualTo(3);
    assertThat(
            api.get(bySubject + "&outcome=failure", "Authorization", admin).json().getInt("total"))
        .isEqualTo(2);
    assertThat(
            api.get(bySubject + "&outcome=SUCCESS", "Authorization", admin).json().getInt("total"))
        .isEqualTo(1);
    assertThat(
            api.get(AUDIT + "?subject=" + userId + "&type=USER_CREATED", "Authorization", admin)
                .json()
                .getInt("total"))
        .isEqualTo(1);
    assertThat(
            api.get(bySubject + "&since=" + iso(start), "Authorization", admin)
                .json()
                .getInt("total"))
        .isEqualTo(3);
    assertThat(
            api.get(bySubject + "&until=" + iso(start), "Authorization", admin)
                .json()
                .getInt("total"))
        .isZero();
    assertThat(
            api.get(
                    bySubject + "&since=" + iso(Instant.now().plusSeconds(3600)),
                    "Authorization",
                    admin)
                .json()
                .getInt("total"))
        .isZero();

    var ids = new ArrayList<Long>();
    for (int offset = 0; offset < 3; offset++) {
      var page = api.get(bySubject + "&limit=1&offset=" + offset, "Authorization", admin).json();
      assertThat(page.getJsonArray("items")).hasSize(1);
      assertThat(page.getInt("total")).isEqualTo(3);
      ids.add(page.getJsonArray("items").getJsonObject(0).getJsonNumber("id").longValue());
    }
    assertThat(ids).isSortedAccordingTo((a, b) -> Long.compare(b, a)).doesNotHaveDuplicates();
    assertThat(
            api.get(bySubject + "&limit=1&offset=3", "Authorization", admin)
                .json()
                .getJsonArray("items"))
        .isEmpty();

    for (String bad :
        List.of(
            "limit=501",
            "limit=0",
            "limit=ten",
            "offset=-1",
            "since=yesterday",
            "until=2024-01-01",
            "type=NOPE",
            "outcome=MAYBE")) {
      var reply = api.get(AUDIT + "?" + bad, "Authorization", admin);
      assertThat(reply.status()).as(bad).isEqualTo(400);
      assertThat(reply.header("Content-Type")).as(bad).startsWith("application/problem+json");
      assertThat(reply.code()).as(bad).isEqualTo("VALIDATION_FAILED");
    }
    assertThat(api.get(AUDIT + "?limit=500", "Authorization", admin).status()).isEqualTo(200);
  }

  @Test
  void onlyAdminsMayReadOrVerify(Api api) {
    String admin = bearer(api.adminToken());
    String name = Api.unique("nosy");
    createUser(api, admin, name);
    String user = bearer(api.login(name, "Audit-Me-2024").getString("access_token"));

    assertThat(api.get(AUDIT).status()).isEqualTo(401);
    assertThat(api.post(AUDIT + "/verify", null).status()).isEqualTo(401);
    var forbidden = api.get(AUDIT, "Authorization", user);
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.body()).doesNotContain("record_hash");
    assertThat(api.post(AUDIT + "/verify", null, "Authorization", user).status()).isEqualTo(403);
  }

  @Test
  void twoHundredParallelLoginsGiveExactlyTwoHundredRowsOnAnIntactChain(Api api) throws Exception {
    String admin = bearer(api.adminToken());
    int users = 20;
    int logins = 200;
    var names = new ArrayList<String>();
    var ids = new HashSet<String>();
    for (int i = 0; i < users; i++) {
      String name = Api.unique("crowd" + i);
      ids.add(createUser(api, admin, name).getString("id"));
      names.add(name);
    }

    Instant start = Instant.now();
    var refusals = new AtomicInteger();
    var pool = Executors.newFixedThreadPool(16);
    long began = System.nanoTime();
    var results = new ArrayList<Future<long[]>>();
    try {
      for (int i = 0; i < logins; i++) {
        String name = names.get(i % users);
        results.add(
            pool.submit(
                () -> {
                  long t0 = System.nanoTime();
                  var reply = loginHonouringRetryAfter(api, name, refusals);
                  return new long[] {reply.status(), System.nanoTime() - t0};
                }));
      }
      var latencies = new long[logins];
      for (int i = 0; i < logins; i++) {
        long[] r = results.get(i).get(120, TimeUnit.SECONDS);
        assertThat(r[0]).as("login %d", i).isEqualTo(200);
        latencies[i] = r[1];
      }
      long wall = System.nanoTime() - began;
      Arrays.sort(latencies);
      System.out.printf(
          "AuditIT: %d parallel logins (16 threads) in %d ms: %.1f logins/s, latency p50 %d ms, p95 %d ms, max %d ms, %d × 503 retried%n",
          logins,
          Duration.ofNanos(wall).toMillis(),
          logins / (wall / 1e9),
          Duration.ofNanos(latencies[logins / 2]).toMillis(),
          Duration.ofNanos(latencies[logins * 95 / 100]).toMillis(),
          Duration.ofNanos(latencies[logins - 1]).toMillis(),
          refusals.get());
    } finally {
      pool.shutdownNow();
    }

    var window =
        api.get(
                AUDIT
                    + "?type=LOGIN&limit=500&since="
                    + iso(start)
                    + "&until="
                    + iso(Instant.now().plusSeconds(1)),
                "Authorization",
                admin)
            .json();
    assertThat(window.getInt("total")).isEqualTo(logins);
    var items = window.getJsonArray("items").getValuesAs(JsonObject.class);
    assertThat(items).hasSize(logins);
    Set<String> seen = new HashSet<>();
    for (var event : items) {
      assertThat(event.getString("outcome")).isEqualTo("SUCCESS");
      assertThat(ids).contains(event.getString("subject"));
      seen.add(event.getString("record_hash"));
    }
    assertThat(seen).hasSize(logins);
    var verified = api.post(AUDIT + "/verify", null, "Authorization", admin);
    assertThat(verified.status()).isEqualTo(200);
    assertThat(verified.json().getBoolean("intact")).as(verified.body()).isTrue();
    assertThat(verified.json().getInt("checked")).isGreaterThanOrEqualTo(logins);
  }

  /**
   * A login as a well-behaved client makes it: 16 at once are eight times this machine's hashing
   * turns, so the server may answer 503 with {@code Retry-After} (issue 6) when a turn does not
   * come within its brief queue; such a refusal is not an attempt (nothing is audited), and the
   * client waits as told and tries again.
   */
  private static Api.Reply loginHonouringRetryAfter(Api api, String name, AtomicInteger refusals)
      throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      var reply = api.post("/api/v1/auth/login", Api.credentials(name, "Audit-Me-2024"));
      if (reply.status() != 503 || attempt == 10) {
        return reply;
      }
      String retryAfter = reply.header("Retry-After");
      assertThat(retryAfter).as("Retry-After of a 503").isNotNull().containsOnlyDigits();
      refusals.incrementAndGet();
      Thread.sleep(TimeUnit.SECONDS.toMillis(Long.parseLong(retryAfter)));
    }
  }

  @Test
  void verifyFindsAnEditedRowAndADeletedRow() throws Exception {
    assumeTrue(
        System.getProperty("it.baseUrl", "").isBlank(),
        "needs a server of its own; not available against an external server");
    Path data =
        Path.of(System.getProperty("it.workDir", "target/it")).resolve("audit").toAbsolutePath();
    String h2 = "jdbc:h2:file:" + data.resolve("data").resolve("audit") + ";AUTO_SERVER=TRUE";
    try (var server = PortcullisServer.start("audit", Map.of("PORTCULLIS_DB_URL", h2))) {
      var api = new Api(server);
      String admin = bearer(api.adminToken());
      String name = Api.unique("tampered");
      createUser(api, admin, name);
      for (int i = 0; i < 3; i++) {
        api.post("/api/v1/auth/login", Api.credentials(name, "Wr0ng-Password"));
      }
      api.login(name, "Audit-Me-2024");
      assertThat(verify(api, admin).getBoolean("intact")).isTrue();

      var failures =
          api.get(AUDIT + "?type=LOGIN&outcome=FAILURE&limit=3", "Authorization", admin)
              .json()
              .getJsonArray("items")
              .getValuesAs(JsonObject.class);
      long newest = failures.get(0).getJsonNumber("id").longValue();
      long middle = failures.get(1).getJsonNumber("id").longValue();

      var db = server.database();
      try (var connection = DriverManager.getConnection(db.url(), db.user(), db.password())) {
        // edited: a failure turned into a success
        update(
            connection,
            "UPDATE audit_events SET outcome = 'SUCCESS', reason = NULL WHERE id = ?",
            middle);
        var edited = verify(api, admin);
        assertThat(edited.getBoolean("intact")).isFalse();
        assertThat(edited.getJsonNumber("first_broken_id").longValue()).isEqualTo(middle);
        assertThat(edited.getString("reason")).contains("edited");

        update(
            connection,
            "UPDATE audit_events SET outcome = 'FAILURE', reason = 'WRONG_PASSWORD' WHERE id = ?",
            middle);
        assertThat(verify(api, admin).getBoolean("intact")).as("restored row").isTrue();

        // deleted: the next row's link dangles
        update(connection, "DELETE FROM audit_events WHERE id = ?", middle);
        var deleted = verify(api, admin);
        assertThat(deleted.getBoolean("intact")).isFalse();
        assertThat(deleted.getJsonNumber("first_broken_id").longValue()).isEqualTo(middle + 1);
        assertThat(deleted.getString("reason")).contains("row " + middle + " missing");

        // the newest rows deleted as well: the walk ends before the chain head says it should
        update(connection, "DELETE FROM audit_events WHERE id >= ?", newest);
        var truncated = verify(api, admin);
        assertThat(truncated.getBoolean("intact")).isFalse();
        assertThat(truncated.getJsonNumber("first_broken_id").longValue()).isEqualTo(middle);
        assertThat(truncated.getString("reason")).contains("chain ends early");
      }
    }
  }

  private static void update(java.sql.Connection connection, String sql, long id)
      throws SQLException {
    try (var statement = connection.prepareStatement(sql)) {
      statement.setLong(1, id);
      assertThat(statement.executeUpdate()).as(sql).isPositive();
    }
  }

  private static JsonObject verify(Api api, String admin) {
    var reply = api.post(AUDIT + "/verify", null, "Authorization", admin);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json();
  }

  private static JsonObject createUser(Api api, String admin, String name) {
    var body =
        Json.createObjectBuilder()
            .add("username", name)
            .add("password", "Audit-Me-2024")
            .add("roles", Json.createArrayBuilder().add("user"))
            .build()
            .toString();
    var reply = api.post("/api/v1/admin/users", body, "Authorization", admin);
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply.json();
  }

  private static String iso(Instant time) {
    return URLEncoder.encode(time.toString(), StandardCharsets.UTF_8);
  }
}
