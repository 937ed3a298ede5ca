package dev.portcullis.ratelimit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import java.util.Optional;

/**
 * Where the rate limiter's Bucket4j buckets live, one per key ({@code ip:192.0.2.7}, {@code
 * account:alice}, …).
 *
 * <p>On PostgreSQL, {@link DatabaseRateLimitBuckets} shares them between the nodes through the
 * database (Bucket4j's PostgreSQL module); on H2 (one node) {@link LocalRateLimitBuckets} keeps
 * them in this JVM. {@link RateLimitBucketsProducer} chooses. Both hand out Bucket4j {@link
 * Bucket}s, so {@link RateLimits} does not know which. Implementations are thread-safe.
 */
public interface RateLimitBuckets {

  /** The bucket of {@code key}, created with {@code configuration} if it does not exist. */
  Bucket bucket(String key, BucketConfiguration configuration);

  /**
   * The bucket of {@code key} if it exists; none for a key never charged (or idle long enough to be
   * forgotten), which is as good as a full bucket. Looks, never creates.
   */
  Optional<Bucket> existing(String key);

  /** Drops the bucket of {@code key}, so its next use starts full (an administrator's unlock). */
  void forget(String key);

  /** Deletes stored buckets that have refilled; the housekeeping calls it once a minute. */
  default void purgeExpired() {}
}
