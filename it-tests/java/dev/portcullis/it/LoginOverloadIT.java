package dev.portcullis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Logins beyond the hashing capacity (issue 6): with one hashing turn and no queue, concurrent
 * logins that find the turn taken get 503 with {@code Retry-After} at once instead of piling up,
 * and such refusals never count against the account (which would otherwise answer 429 after ten of
 * them, locking the owner out through mere load).
 *
 * <p>Fewer logins run at once than the account's budget of 10 from one network: an attempt holds
 * its token while it is judged (that is what keeps parallel guesses within the budget), so an
 * eleventh concurrent attempt is refused with 429 until one of the first ten is given back. On
 * PostgreSQL a burst's charges go to the database in one batch ahead of the refunds, so with 12 at
 * once that happened in most rounds.
 */
class LoginOverloadIT {

  private static final String PASSWORD = "Overload-Pass-1";
  private static final int CONCURRENT = 8;

  private static PortcullisServer server;

  @BeforeAll
  static void start() {
    assumeTrue(
        System.getProperty("it.baseUrl", "").isBlank(),
        "needs a server of its own with one hashing turn");
    server =
        PortcullisServer.start(
            "overload",
            Map.of(
                "PORTCULLIS_PASSWORD_HASHING_CONCURRENCY", "1",
                "PORTCULLIS_PASSWORD_HASHING_QUEUE_TIMEOUT", "PT0S",
                "PORTCULLIS_PASSWORD_HASHING_MAX_QUEUED", "0",
                "PORTCULLIS_RATE_LIMIT_IP_ATTEMPTS", "100000"));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void excessLoginsGet503WithRetryAfterAndNeverCountAgainstTheAccount() throws Exception {
    var api = new Api(server);
    String name = Api.unique("overload");
    api.createUser(name, PASSWORD, "user");
    var pool = Executors.newFixedThreadPool(CONCURRENT);
    int refused = 0;
    int succeeded = 0;
    try {
      for (int round = 0; round < 20 && refused < 15; round++) {
        var calls = new ArrayList<Callable<Api.Reply>>();
        for (int i = 0; i < CONCURRENT; i++) {
          calls.add(() -> api.post("/api/v1/auth/login", Api.credentials(name, PASSWORD)));
        }
        for (var future : pool.invokeAll(calls)) {
          var reply = future.get();
          assertThat(reply.status()).as(reply.body()).isIn(200, 503);
          if (reply.status() == 503) {
            refused++;
            assertThat(reply.header("Retry-After")).isEqualTo("1");
            assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
            assertThat(reply.code()).isEqualTo("SERVICE_UNAVAILABLE");
          } else {
            succeeded++;
          }
        }
      }
    } finally {
      pool.shutdownNow();
    }
    // more refusals than the account's 10 failures: none of them was counted
    assertThat(refused).isGreaterThanOrEqualTo(15);
    assertThat(succeeded).isPositive();
    assertThat(api.post("/api/v1/auth/login", Api.credentials(name, PASSWORD)).status())
        .isEqualTo(200);
    assertThat(Files.readString(server.logFile())).contains("Password hashing is at capacity");
  }
}
