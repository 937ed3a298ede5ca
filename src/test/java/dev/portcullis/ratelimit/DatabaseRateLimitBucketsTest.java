package dev.portcullis.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.config.MapConfig;
import dev.portcullis.database.DatabaseFailures;
import dev.portcullis.problem.ErrorCode;
import dev.portcullis.problem.ProblemException;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class DatabaseRateLimitBucketsTest {

  private static final BucketConfiguration FIVE_PER_MINUTE =
      BucketConfiguration.builder()
          .addLimit(Bandwidth.builder().capacity(5).refillGreedy(5, Duration.ofMinutes(1)).build())
          .build();

  private final AtomicInteger connections = new AtomicInteger();

  /** A PostgreSQL that cannot be reached: every connection attempt fails as pgjdbc's does. */
  private final DataSource unreachable = failing("08001");

  private final DatabaseRateLimitBuckets buckets = over(unreachable);

  private DataSource failing(String sqlState) {
    return (DataSource)
        Proxy.newProxyInstance(
            DataSource.class.getClassLoader(),
            new Class<?>[] {DataSource.class},
            (self, method, args) -> {
              if (method.getName().equals("getConnection")) {
                connections.incrementAndGet();
                throw new SQLException("refused", sqlState);
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }

  private static DatabaseRateLimitBuckets over(DataSource dataSource) {
    return new DatabaseRateLimitBuckets(
        dataSource, RateLimitSettings.read(new MapConfig(Map.of())));
  }

  @Test
  void anUnreachableDatabaseFailsTheCheckAsUnavailable() {
    var bucket = buckets.bucket("ip:192.0.2.1", FIVE_PER_MINUTE);
    // the driver's failure, which every layer answers with 503 and Retry-After
    assertThatThrownBy(() -> bucket.tryConsumeAndReturnRemaining(1))
        .satisfies(e -> assertThat(DatabaseFailures.isUnavailable(e)).isTrue());
    assertThat(connections.get()).isPositive();
  }

  @Test
  void anyOtherFailureOfTheBucketsIs503() {
    var bucket = over(failing("57014")).bucket("ip:192.0.2.1", FIVE_PER_MINUTE);
    assertThatThrownBy(() -> bucket.tryConsumeAndReturnRemaining(1))
        .isInstanceOfSatisfying(
            ProblemException.class,
            e -> {
              assertThat(e.problem().status()).isEqualTo(503);
              assertThat(e.problem().code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE.code());
              assertThat(e.retryAfterSeconds()).isPositive();
            });
  }

  @Test
  void looksUpOnlyTheAddressesThisNodeHasCharged() {
    assertThat(buckets.existing("api-key:192.0.2.2")).isEmpty();
    assertThat(connections.get()).as("a success never reaches the database").isZero();

    var charged = buckets.bucket("api-key:192.0.2.2", FIVE_PER_MINUTE);
    assertThatThrownBy(() -> charged.tryConsume(1)).isInstanceOf(RuntimeException.class);

    assertThat(buckets.existing("api-key:192.0.2.2")).isPresent();
    assertThat(buckets.existing("api-key:192.0.2.3")).isEmpty();
  }

  @Test
  void keepsRefreshTokenBucketsInThisJvm() {
    var bucket = buckets.bucket("refresh:" + "ab".repeat(32), FIVE_PER_MINUTE);
    for (int i = 0; i < 5; i++) {
      assertThat(bucket.tryConsume(1)).isTrue();
    }
    assertThat(bucket.tryConsume(1)).isFalse();
    assertThat(buckets.existing("refresh:" + "ab".repeat(32))).isPresent();
    assertThat(connections.get()).isZero();
  }

  @Test
  void forgettingWhileTheDatabaseIsUnreachableFailsAsUnavailable() {
    assertThatThrownBy(() -> buckets.forget("account:alice"))
        .satisfies(e -> assertThat(DatabaseFailures.isUnavailable(e)).isTrue());
  }

  @Test
  void concurrentChecksOfOneBucketShareATransactionAndEachFailsAs503() throws Exception {
    // the first connection is held until the other checks have queued behind it, then refused
    var queued = new CountDownLatch(1);
    var held =
        (DataSource)
            Proxy.newProxyInstance(
                DataSource.class.getClassLoader(),
                new Class<?>[] {DataSource.class},
                (self, method, args) -> {
                  if (method.getName().equals("getConnection")) {
                    if (connections.incrementAndGet() == 1) {
                      queued.await(10, TimeUnit.SECONDS);
                    }
                    throw new SQLException("canceled", "57014");
                  }
                  throw new UnsupportedOperationException(method.getName());
                });
    var shared = over(held);
    int threads = 8;
    var pool = Executors.newFixedThreadPool(threads);
    try {
      var checks = new ArrayList<Future<?>>();
      for (int i = 0; i < threads; i++) {
        checks.add(
            pool.submit(
                () ->
                    shared
                        .bucket("ip:192.0.2.9", FIVE_PER_MINUTE)
                        .tryConsumeAndReturnRemaining(1)));
        if (i == 0) {
          Thread.sleep(200); // the first check holds the connection
        }
      }
      Thread.sleep(300); // the others wait for it
      queued.countDown();
      for (var check : checks) {
        assertThatThrownBy(() -> check.get(10, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .cause()
            .as("each caller gets the fail-closed 503, not Bucket4j's batch wrapper")
            .isInstanceOfSatisfying(
                ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(503));
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(connections.get())
        .as("the seven checks queued behind the first went to the database together")
        .isEqualTo(2);
  }

  @Test
  void storesAHashOfTheKeyNeverTheKey() {
    String row = DatabaseRateLimitBuckets.rowId("account:my-password-typed-as-a-username");
    assertThat(row).hasSize(64).matches("[0-9a-f]{64}").doesNotContain("password");
    assertThat(DatabaseRateLimitBuckets.rowId("account:my-password-typed-as-a-username"))
        .isEqualTo(row);
  }
}
