package dev.portcullis.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.Optional;

/**
 * The in-process {@link RateLimitBuckets}: Bucket4j local buckets in a bounded Caffeine map.
 *
 * <p>A bucket unused for the longest configured period has refilled completely, so dropping it then
 * loses nothing; the size bound keeps a flood of distinct keys (spoofed usernames, many addresses)
 * from exhausting memory — under such a flood the oldest buckets are evicted first. Limits are per
 * node: the backend of a single node (H2), and of the buckets {@link DatabaseRateLimitBuckets}
 * keeps local. Thread-safe.
 */
public class LocalRateLimitBuckets implements RateLimitBuckets {

  private final Cache<String, Bucket> buckets;
  private final TimeMeter time;

  public LocalRateLimitBuckets(RateLimitSettings settings) {
    this(settings.maxTrackedKeys(), settings.longestPeriod(), TimeMeter.SYSTEM_MILLISECONDS);
  }

  /** For tests: {@code time} drives the buckets' refill. */
  public LocalRateLimitBuckets(int maxKeys, Duration idleExpiry, TimeMeter time) {
    this.buckets = Caffeine.newBuilder().maximumSize(maxKeys).expireAfterAccess(idleExpiry).build();
    this.time = time;
  }

  @Override
  public Bucket bucket(String key, BucketConfiguration configuration) {
    return buckets.get(
        key,
        k -> {
          var builder = Bucket.builder().withCustomTimePrecision(time);
          for (var bandwidth : configuration.getBandwidths()) {
            builder.addLimit(bandwidth);
          }
          return builder.build();
        });
  }

  @Override
  public Optional<Bucket> existing(String key) {
    return Optional.ofNullable(buckets.getIfPresent(key));
  }

  @Override
  public void forget(String key) {
    buckets.invalidate(key);
  }
}
