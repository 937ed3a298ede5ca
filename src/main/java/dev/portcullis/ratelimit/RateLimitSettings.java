package dev.portcullis.ratelimit;

import dev.portcullis.config.InvalidSettingException;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * The limits of the {@code ratelimit} package, read once from MicroProfile Config keys {@code
 * portcullis.rate-limit.*} (environment {@code PORTCULLIS_RATE_LIMIT_…}) and validated.
 *
 * @param enabled whether limits apply at all ({@code portcullis.rate-limit.enabled}, default true)
 * @param ip credential-checking attempts per client IP (login, form login, password change,
 *     refresh; successes count too, because each attempt costs a password hash)
 * @param account failed attempts per target account (normalised username, existing or not) from one
 *     client network ({@link RateLimits#networkKey}), or per refresh token
 * @param accountCeiling failed attempts per target account from all networks together: the much
 *     higher ceiling against a guess spread over many networks ({@code
 *     portcullis.rate-limit.account-ceiling.*}, default 100 per 15 minutes)
 * @param apiKey failed API-key authentications per client IP
 * @param clientAuth failed OAuth client authentications per client IP ({@code
 *     portcullis.rate-limit.client-auth.*}, default 20 per minute)
 * @param lockout the per-account-and-network lock-out stored in the database
 * @param knownDeviceTtl how long a {@code __Host-portcullis-device} cookie is remembered
 * @param knownDeviceFailures wrong passwords a known device may send within the lock-out's {@code
 *     reset-after} before it is no longer known ({@code
 *     portcullis.rate-limit.known-device.failures}, default 5)
 * @param maxTrackedKeys how many buckets the in-process backend keeps before evicting the oldest
 */
public record RateLimitSettings(
    boolean enabled,
    Limit ip,
    Limit account,
    Limit accountCeiling,
    Limit apiKey,
    Limit clientAuth,
    LockoutPolicy lockout,
    Duration knownDeviceTtl,
    int knownDeviceFailures,
    int maxTrackedKeys) {

  /**
   * At most {@code attempts} in any {@code period}, refilled smoothly (Bucket4j greedy refill).
   *
   * @param attempts the bucket's capacity
   * @param period the time in which a drained bucket refills completely
   */
  public record Limit(int attempts, Duration period) {}

  /** Reads and validates the settings; throws {@link InvalidSettingException} on a bad value. */
  public static RateLimitSettings read(Config config) {
    var settings =
        new RateLimitSettings(
            config.getOptionalValue("portcullis.rate-limit.enabled", Boolean.class).orElse(true),
            limit(config, "ip.attempts", 100, "ip.period", "PT1M"),
            limit(config, "account.failures", 10, "account.period", "PT15M"),
            limit(config, "account-ceiling.failures", 100, "account-ceiling.period", "PT15M"),
            limit(config, "api-key.failures", 20, "api-key.period", "PT1M"),
            limit(config, "client-auth.failures", 20, "client-auth.period", "PT1M"),
            new LockoutPolicy(
                integer(config, "portcullis.rate-limit.lockout.threshold", 5),
                duration(config, "portcullis.rate-limit.lockout.base-duration", "PT30S"),
                duration(config, "portcullis.rate-limit.lockout.max-duration", "PT15M"),
                duration(config, "portcullis.rate-limit.lockout.reset-after", "PT1H")),
            duration(config, "portcullis.rate-limit.known-device-ttl", "P90D"),
            integer(config, "portcullis.rate-limit.known-device.failures", 5),
            integer(config, "portcullis.rate-limit.max-tracked-keys", 100_000));
    settings.validate();
    return settings;
  }

  private void validate() {
    for (var limit : new Limit[] {ip, account, accountCeiling, apiKey, clientAuth}) {
      require(
          limit.attempts() >= 1 && positive(limit.period()),
          "portcullis.rate-limit.*.attempts / .failures and .period must be positive");
    }
    require(lockout.threshold() >= 1, "portcullis.rate-limit.lockout.threshold must be >= 1");
    require(
        positive(lockout.baseDuration())
            && lockout.maxDuration().compareTo(lockout.baseDuration()) >= 0
            && lockout.maxDuration().compareTo(Duration.ofHours(24)) <= 0,
        "portcullis.rate-limit.lockout.base-duration must be positive and not above"
            + " max-duration, which is at most 24 hours (a lock is never permanent)");
    require(
        lockout.resetAfter().compareTo(lockout.maxDuration()) >= 0,
        "portcullis.rate-limit.lockout.reset-after must not be shorter than max-duration");
    require(
        accountCeiling.attempts() >= account.attempts(),
        "portcullis.rate-limit.account-ceiling.failures must not be below"
            + " portcullis.rate-limit.account.failures");
    require(positive(knownDeviceTtl), "portcullis.rate-limit.known-device-ttl must be positive");
    require(knownDeviceFailures >= 1, "portcullis.rate-limit.known-device.failures must be >= 1");
    require(maxTrackedKeys >= 100, "portcullis.rate-limit.max-tracked-keys must be >= 100");
  }

  /** The longest period of any limit: how long an idle bucket must be kept. */
  Duration longestPeriod() {
    Duration longest = ip.period();
    for (var d :
        new Duration[] {
          account.period(), accountCeiling.period(), apiKey.period(), clientAuth.period()
        }) {
      if (d.compareTo(longest) > 0) {
        longest = d;
      }
    }
    return longest;
  }

  private static Limit limit(
      Config config, String countKey, int count, String periodKey, String period) {
    return new Limit(
        integer(config, "portcullis.rate-limit." + countKey, count),
        duration(config, "portcullis.rate-limit." + periodKey, period));
  }

  private static Optional<String> optional(Config config, String key) {
    return config.getOptionalValue(key, String.class).map(String::strip).filter(v -> !v.isEmpty());
  }

  private static int integer(Config config, String key, int fallback) {
    try {
      return optional(config, key).map(Integer::parseInt).orElse(fallback);
    } catch (NumberFormatException e) {
      throw new InvalidSettingException(key + " must be a whole number");
    }
  }

  private static Duration duration(Config config, String key, String fallback) {
    try {
      return Duration.parse(optional(config, key).orElse(fallback));
    } catch (RuntimeException e) {
      throw new InvalidSettingException(key + " must be an ISO-8601 duration such as PT15M");
    }
  }

  private static boolean positive(Duration d) {
    return !d.isNegative() && !d.isZero();
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new InvalidSettingException(message);
    }
  }
}
