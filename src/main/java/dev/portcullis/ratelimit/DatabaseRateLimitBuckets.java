package dev.portcullis.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.portcullis.database.DatabaseFailures;
import dev.portcullis.problem.ProblemException;
import dev.portcullis.secret.OpaqueTokens;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ExecutionStrategy;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The cluster's {@link RateLimitBuckets}: Bucket4j buckets in PostgreSQL ({@code
 * rate_limit_buckets}, V9), shared by every node, so a client address or an account gets one budget
 * however many nodes it spreads its attempts over.
 *
 * <p>Bucket4j's {@code SELECT ... FOR UPDATE} proxy manager runs each check as one short JDBC
 * transaction of its own ({@code SELECT ... FOR UPDATE}, {@code UPDATE}, {@code COMMIT} on one
 * connection; a bucket's first use inserts its row first), so it needs connections it may commit
 * itself: the non-transactional datasource ({@link
 * dev.portcullis.database.DataSourceConfig#NON_TRANSACTIONAL_JNDI_NAME}), never enlisted in the
 * caller's JTA transaction. Rows carry the time by which the bucket has refilled (plus a minute);
 * {@link #purgeExpired} (the housekeeping) deletes them after that. Row ids are the SHA-256 of the
 * bucket keys, so the table never holds a typed username (which may be a mistyped password).
 *
 * <p>The commands several threads of this node issue on one bucket at once go to the database
 * together ({@link BatchedBucket}): under a burst from one address (a proxy's, or a benchmark's)
 * every refresh and login charges that address's bucket, and one transaction per request queued on
 * its row lock, so the address's requests ran one row lock at a time; batched, they share a
 * transaction, with the same arithmetic. A batch forms on one proxy instance, so this node keeps
 * each charged key's proxy ({@code chargedHere}).
 *
 * <p>Two kinds of buckets stay in this JVM ({@link LocalRateLimitBuckets}):
 *
 * <ul>
 *   <li>per refresh token ({@code refresh:…}): it guards a 256-bit secret that nobody can guess, so
 *       spreading guesses over nodes gains nothing, and a refresh pays for one shared bucket only;
 *   <li>the lookup of {@link #existing}: this node answers "no bucket" without a database round
 *       trip for a key it has not itself charged within the longest period, and consults the shared
 *       bucket only for the keys it has. (The API-key check before every request goes further and
 *       looks up only the buckets this node saw empty; see {@code RateLimits}.)
 * </ul>
 *
 * <p>Fail closed: when the buckets cannot be read, the check fails and the attempt is refused with
 * 503 {@code SERVICE_UNAVAILABLE} and {@code Retry-After}, never a 500 and never an unlimited
 * attempt. A database that is down or hung surfaces as the driver's own failure, which every layer
 * already answers with 503 ({@link DatabaseFailures}); any other failure of the buckets becomes
 * that 503 here. Thread-safe.
 */
public class DatabaseRateLimitBuckets implements RateLimitBuckets {

  private static final Logger LOG = Logger.getLogger(DatabaseRateLimitBuckets.class.getName());

  /** Buckets whose keys start so stay in this JVM (see the class description). */
  static final String LOCAL_PREFIX = "refresh:";

  static final String TABLE = "rate_limit_buckets";

  /** How long a full bucket's row is kept before the housekeeping may delete it. */
  private static final Duration KEEP_AFTER_REFILL = Duration.ofMinutes(1);

  private static final int PURGE_BATCH = 1_000;
  private static final long RETRY_AFTER_SECONDS = 5;

  private final PostgreSQLSelectForUpdateBasedProxyManager<String> proxies;
  private final LocalRateLimitBuckets local;

  /** The keys this node charged within the longest period, with their batching proxies. */
  private final Cache<String, Bucket> chargedHere;

  /**
   * @param dataSource a non-transactional datasource of the PostgreSQL database
   * @param settings the limits (the longest period bounds how long a charge is remembered here)
   */
  public DatabaseRateLimitBuckets(DataSource dataSource, RateLimitSettings settings) {
    this.proxies =
        Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
            .primaryKeyMapper(PrimaryKeyMapper.STRING)
            .table(TABLE)
            .idColumn("id")
            .stateColumn("state")
            .expiresAtColumn("expires_at")
            .expirationAfterWrite(
                ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                    KEEP_AFTER_REFILL))
            .executionStrategy(FAIL_CLOSED)
            .build();
    this.local = new LocalRateLimitBuckets(settings);
    this.chargedHere =
        Caffeine.newBuilder()
            .maximumSize(settings.maxTrackedKeys())
            .expireAfterWrite(settings.longestPeriod())
            .build();
  }

  @Override
  public Bucket bucket(String key, BucketConfiguration configuration) {
    if (key.startsWith(LOCAL_PREFIX)) {
      return local.bucket(key, configuration);
    }
    var proxy = chargedHere.get(key, k -> batchedProxy(k, configuration));
    chargedHere.put(key, proxy); // charged now: remembered for the longest period from now
    return proxy;
  }

  @Override
  public Optional<Bucket> existing(String key) {
    if (key.startsWith(LOCAL_PREFIX)) {
      return local.existing(key);
    }
    // a row purged meanwhile (it had refilled) is re-created full: as good as none
    return Optional.ofNullable(chargedHere.getIfPresent(key));
  }

  /** A batching proxy of {@code key}'s row. */
  private BatchedBucket batchedProxy(String key, BucketConfiguration configuration) {
    String row = rowId(key);
    return new BatchedBucket(
        proxies
            .builder()
            .withOptimization(Optimizations.batching())
            .build(row, () -> configuration),
        proxies.builder().build(row, () -> configuration));
  }

  @Override
  public void forget(String key) {
    if (key.startsWith(LOCAL_PREFIX)) {
      local.forget(key);
      return;
    }
    chargedHere.invalidate(key);
    FAIL_CLOSED.execute(
        () -> {
          proxies.removeProxy(rowId(key));
          return null;
        });
  }

  /** Deletes the rows of buckets that have refilled; called by the housekeeping. */
  @Override
  public void purgeExpired() {
    int removed;
    do {
      removed = proxies.removeExpired(PURGE_BATCH);
    } while (removed == PURGE_BATCH);
  }

  /** The row id of a bucket key: its SHA-256, never the key itself. */
  static String rowId(String key) {
    return OpaqueTokens.sha256(key);
  }

  /**
   * Runs every remote bucket command in the caller's thread; a failure that is not already a
   * recognisable "database unavailable" becomes 503 {@code SERVICE_UNAVAILABLE}: the limiter fails
   * closed.
   */
  private static final ExecutionStrategy FAIL_CLOSED =
      new ExecutionStrategy() {
        @Override
        public <T> T execute(Supplier<T> command) {
          try {
            return command.get();
          } catch (ProblemException e) {
            throw e;
          } catch (RuntimeException e) {
            if (DatabaseFailures.isUnavailable(e)) {
              LOG.log(Level.FINE, "Rate-limit buckets unreachable: {0}", describe(e));
              throw e;
            }
            throw unavailable(e);
          }
        }

        @Override
        public <T> CompletableFuture<T> executeAsync(Supplier<CompletableFuture<T>> command) {
          // the JDBC proxy managers are synchronous only; Bucket4j never calls this for them
          return command.get();
        }
      };

  private static ProblemException unavailable(RuntimeException failure) {
    LOG.log(
        Level.WARNING, "Rate-limit buckets failed, refusing the attempt: {0}", describe(failure));
    return ProblemException.unavailable().retryAfter(RETRY_AFTER_SECONDS);
  }

  /** The failure's class and SQL state, never its message (which may quote parameters). */
  private static String describe(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql) {
        return sql.getClass().getName() + " SQLState " + sql.getSQLState();
      }
    }
    return failure.getClass().getName();
  }
}
