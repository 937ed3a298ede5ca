package dev.portcullis.ratelimit;

import dev.portcullis.audit.ClientInfo;
import dev.portcullis.token.OpaqueTokens;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The rate limits of every credential-checking path, as Bucket4j token buckets in {@link
 * RateLimitBuckets}.
 *
 * <ul>
 *   <li>{@link #attempt}: every password login, form login, password change and refresh costs one
 *       token of the client IP's bucket, before any hashing.
 *   <li>{@link #accountAttempt} / {@link #refreshAttempt}: one token of the target's bucket (the
 *       normalised username — whether or not such a user exists, so the limit reveals nothing — or
 *       the refresh token's hash), given back after a success; so only failures use it up.
 *   <li>{@link #apiKeyAllowed} / {@link #apiKeyFailed}: failed API-key authentications per IP.
 * </ul>
 *
 * <p>IPv6 clients are limited per /64, the block one subscriber usually holds. Over a limit: {@link
 * RateLimitedException} (429, {@code Retry-After} = seconds until a token is available).
 * Thread-safe.
 */
@ApplicationScoped
public class RateLimits {

  private final RateLimitSettings settings;
  private final RateLimitBuckets buckets;
  private final BucketConfiguration ipLimit;
  private final BucketConfiguration accountLimit;
  private final BucketConfiguration apiKeyLimit;

  @Inject
  public RateLimits(RateLimitSettings settings, RateLimitBuckets buckets) {
    this.settings = settings;
    this.buckets = buckets;
    this.ipLimit = configuration(settings.ip());
    this.accountLimit = configuration(settings.account());
    this.apiKeyLimit = configuration(settings.apiKey());
  }

  /** For CDI proxies only. */
  protected RateLimits() {
    this.settings = null;
    this.buckets = null;
    this.ipLimit = null;
    this.accountLimit = null;
    this.apiKeyLimit = null;
  }

  /** A token taken from a target's bucket; {@link #succeeded()} gives it back. */
  public static final class Permit {

    private static final Permit NONE = new Permit(null);
    private final Bucket bucket;

    private Permit(Bucket bucket) {
      this.bucket = bucket;
    }

    /** A permit that limits nothing: the attempt was exempt (a known device). */
    public static Permit none() {
      return NONE;
    }

    /** The attempt succeeded: it does not count against the target. */
    public void succeeded() {
      if (bucket != null) {
        bucket.addTokens(1);
      }
    }

    /** The attempt was never judged (the server was too busy to): it does not count either. */
    public void notJudged() {
      succeeded();
    }
  }

  /**
   * Counts one credential-checking attempt from {@code client}.
   *
   * @throws RateLimitedException when the IP has used up its attempts
   */
  public void attempt(ClientInfo client) {
    if (settings.enabled() && client.ip() != null) {
      take(buckets.bucket("ip:" + ipKey(client.ip()), ipLimit));
    }
  }

  /**
   * Counts one attempt against the account named {@code usernameKey} ({@code Usernames.key}).
   *
   * @throws RateLimitedException when that name has had too many failures
   */
  public Permit accountAttempt(String usernameKey) {
    if (!settings.enabled()) {
      return Permit.NONE;
    }
    var bucket = buckets.bucket("account:" + usernameKey, accountLimit);
    take(bucket);
    return new Permit(bucket);
  }

  /** Counts one refresh attempt with this token (kept by hash), like {@link #accountAttempt}. */
  public Permit refreshAttempt(String refreshToken) {
    if (!settings.enabled()) {
      return Permit.NONE;
    }
    var bucket = buckets.bucket("refresh:" + OpaqueTokens.sha256(refreshToken), accountLimit);
    take(bucket);
    return new Permit(bucket);
  }

  /** The seconds to wait when {@code ip} has had too many API-key failures, or empty. */
  public OptionalLong apiKeyRetryAfter(String ip) {
    if (!settings.enabled() || ip == null) {
      return OptionalLong.empty();
    }
    // only failures charge this bucket: an IP that never failed has none, and is not looked up
    var bucket = buckets.existing("api-key:" + ipKey(ip));
    if (bucket.isEmpty()) {
      return OptionalLong.empty();
    }
    var probe = bucket.get().estimateAbilityToConsume(1);
    return probe.canBeConsumed()
        ? OptionalLong.empty()
        : OptionalLong.of(seconds(probe.getNanosToWaitForRefill()));
  }

  /** Whether API keys from {@code ip} may be checked now. */
  public boolean apiKeyAllowed(String ip) {
    return apiKeyRetryAfter(ip).isEmpty();
  }

  /** Counts one failed API-key authentication from {@code ip}. */
  public void apiKeyFailed(String ip) {
    if (settings.enabled() && ip != null) {
      buckets.bucket("api-key:" + ipKey(ip), apiKeyLimit).tryConsume(1);
    }
  }

  /** Forgets the failures counted against an account name (an administrator's unlock). */
  public void forgetAccount(String usernameKey) {
    buckets.forget("account:" + usernameKey);
  }

  private static void take(Bucket bucket) {
    var probe = bucket.tryConsumeAndReturnRemaining(1);
    if (!probe.isConsumed()) {
      throw new RateLimitedException(seconds(probe.getNanosToWaitForRefill()));
    }
  }

  private static long seconds(long nanos) {
    return Math.max(1, (nanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1));
  }

  private static BucketConfiguration configuration(RateLimitSettings.Limit limit) {
    return BucketConfiguration.builder()
        .addLimit(
            Bandwidth.builder()
                .capacity(limit.attempts())
                .refillGreedy(limit.attempts(), limit.period())
                .build())
        .build();
  }

  /** The bucket key of an address: IPv4 as is, IPv6 by its /64 prefix. */
  static String ipKey(String ip) {
    if (ip.indexOf(':') < 0) {
      return ip;
    }
    try {
      byte[] bytes = InetAddress.getByName(ip).getAddress();
      if (bytes.length == 16) {
        return HexFormat.of().formatHex(bytes, 0, 8) + "::/64";
      }
      return InetAddress.getByAddress(bytes).getHostAddress();
    } catch (UnknownHostException e) {
      return ip;
    }
  }
}
