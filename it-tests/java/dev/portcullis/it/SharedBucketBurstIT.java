package dev.portcullis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.portcullis.config.MapConfig;
import dev.portcullis.ratelimit.DatabaseRateLimitBuckets;
import dev.portcullis.ratelimit.RateLimitSettings;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The shared rate-limit buckets on PostgreSQL under the burst that makes Bucket4j 8.18's batching
 * meet a row that does not exist yet: 32 threads check one fresh key at the same moment, so while
 * the first creates the row the others queue into a batch, which the database answers "not found"
 * as a whole ({@code BatchedBucket} sends each of its commands again alone). In a run of this test
 * on the VM that fallback ran about 170 times over the 20 keys. Each key's budget of 10 is let
 * through exactly: no check fails, none is charged twice, none is lost.
 */
class SharedBucketBurstIT {

  private static final int KEYS = 20;
  private static final int THREADS = 32;
  private static final int BUDGET = 10;

  @Test
  void aBurstOnAFreshBucketSpendsExactlyItsBudget() throws Exception {
    String url = System.getProperty("it.db.url", "");
    assumeTrue(
        url.startsWith("jdbc:postgresql:"),
        "rate-limit buckets are shared through PostgreSQL; on H2 (one node) they stay in memory");
    var database =
        PortcullisServer.freshDatabase("bucket-burst", Path.of("target", "it", "bucket-burst"));
    var dataSource = new PGSimpleDataSource();
    dataSource.setUrl(database.get("PORTCULLIS_DB_URL"));
    dataSource.setUser(database.get("PORTCULLIS_DB_USER"));
    dataSource.setPassword(database.get("PORTCULLIS_DB_PASSWORD"));
    createTable(dataSource);
    var buckets =
        new DatabaseRateLimitBuckets(dataSource, RateLimitSettings.read(new MapConfig(Map.of())));
    var limit =
        BucketConfiguration.builder()
            .addLimit(
                Bandwidth.builder()
                    .capacity(BUDGET)
                    .refillGreedy(BUDGET, Duration.ofHours(1))
                    .build())
            .build();
    var pool = Executors.newFixedThreadPool(THREADS);
    try {
      for (int k = 0; k < KEYS; k++) {
        String key = "ip:burst-" + k + "-" + System.nanoTime();
        var letThrough = new AtomicInteger();
        var start = new CountDownLatch(1);
        var checks = new ArrayList<Future<?>>();
        for (int t = 0; t < THREADS; t++) {
          checks.add(
              pool.submit(
                  () -> {
                    start.await();
                    if (buckets.bucket(key, limit).tryConsumeAndReturnRemaining(1).isConsumed()) {
                      letThrough.incrementAndGet();
                    }
                    return null;
                  }));
        }
        start.countDown();
        for (var check : checks) {
          check.get(60, TimeUnit.SECONDS);
        }
        assertThat(letThrough.get()).as("checks let through on fresh key %d", k).isEqualTo(BUDGET);
        assertThat(buckets.bucket(key, limit).getAvailableTokens()).isZero();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** The table as the server's migration creates it (Flyway is the server's business). */
  private static void createTable(PGSimpleDataSource dataSource) throws SQLException {
    String migration;
    try (var in =
        SharedBucketBurstIT.class.getResourceAsStream("/db/migration/V9__rate_limit_buckets.sql")) {
      migration = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (var connection =
            DriverManager.getConnection(
                dataSource.getUrl(), dataSource.getUser(), dataSource.getPassword());
        var statement = connection.createStatement()) {
      statement.execute(migration);
    }
  }
}
