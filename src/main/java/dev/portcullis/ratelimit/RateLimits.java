package dev.portcullis.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.portcullis.secret.OpaqueTokens;
import dev.portcullis.web.ClientInfo;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The rate limits of every credential-checking path, as Bucket4j token buckets in {@link
 * RateLimitBuckets}.
 *
 * <ul>
 *   <li>{@link #attempt}: every password login, form login, password change and refresh costs one
 *       token of the client IP's bucket, before any hashing.
 *   <li>{@link #accountAttempt}: one token of the bucket of the target account (the normalised
 *       username — whether or not such a user exists, so the limit reveals nothing) <em>and</em>
 *       the client's network ({@link #networkKey}), and one of the account's much larger ceiling
 *       over all networks; both given back after a success, so only failures use them up. An
 *       attacker's failures from one network therefore refuse that network only: the owner,
 *       elsewhere, still logs in, until failures from many networks together reach the ceiling.
 *   <li>{@link #refreshAttempt}: one token of the presented refresh token's bucket (kept by hash),
 *       given back after a success.
 *   <li>{@link #apiKeyAllowed} / {@link #apiKeyFailed}: failed API-key authentications per IP.
 *   <li>{@link #clientAuthRetryAfter} / {@link #clientAuthFailed}: failed OAuth client
 *       authentications per IP, and per client id like an account: from the client's network and
 *       over all networks together.
 * </ul>
 *
 * <p>IPv6 clients are limited per /64, the block one subscriber usually holds. Over a limit: {@link
 * RateLimitedException} (429, {@code Retry-After} = seconds until a token is available).
 * Thread-safe.
 */
@ApplicationScoped
public class RateLimits {

  private static final Pattern IPV4 =
      Pattern.compile("(\\d{1,3}\\.\\d{1,3}\\.\\d{1,3})\\.\\d{1,3}");

  private final RateLimitSettings settings;
  private final RateLimitBuckets buckets;
  private final BucketConfiguration ipLimit;
  private final BucketConfiguration accountLimit;
  private final BucketConfiguration accountCeiling;
  private final BucketConfiguration apiKeyLimit;
  private final BucketConfiguration clientAuthLimit;

  /**
   * The API-key failure buckets this node saw empty (after a failure it charged), until a check
   * finds them refilled. The check before every API-key request looks a bucket up only for these:
   * on PostgreSQL a look-up is a {@code SELECT ... FOR UPDATE} of the address's row, and when every
   * request from an address that had once failed made one, those requests queued on that row lock
   * (issue 18: 1,400 API-key requests a second where 9,500 bearer tokens were served, from the one
   * address of the benchmark that had presented a tampered key). An address spreading failures over
   * {@code n} nodes gets at most one checked key per node beyond its budget each time its bucket
   * empties: the failure that finds it empty marks it on that node.
   */
  private final Cache<String, Boolean> apiKeyExhausted;

  @Inject
  public RateLimits(RateLimitSettings settings, RateLimitBuckets buckets) {
    this.settings = settings;
    this.buckets = buckets;
    this.ipLimit = configuration(settings.ip());
    this.accountLimit = configuration(settings.account());
    this.accountCeiling = configuration(settings.accountCeiling());
    this.apiKeyLimit = configuration(settings.apiKey());
    this.clientAuthLimit = configuration(settings.clientAuth());
    this.apiKeyExhausted =
        Caffeine.newBuilder()
            .maximumSize(settings.maxTrackedKeys())
            .expireAfterWrite(settings.longestPeriod())
            .build();
  }

  /** For CDI proxies only. */
  protected RateLimits() {
    this.settings = null;
    this.buckets = null;
    this.ipLimit = null;
    this.accountLimit = null;
    this.accountCeiling = null;
    this.apiKeyLimit = null;
    this.clientAuthLimit = null;
    this.apiKeyExhausted = null;
  }

  /** Tokens taken from a target's buckets; {@link #succeeded()} gives them back. */
  public static final class Permit {

    private static final Permit NONE = new Permit();
    private final Bucket[] buckets;

    private Permit(Bucket... buckets) {
      this.buckets = buckets;
    }

    /** A permit that limits nothing: the attempt was exempt (a known device). */
    public static Permit none() {
      return NONE;
    }

    /** The attempt succeeded: it does not count against the target. */
    public void succeeded() {
      for (var bucket : buckets) {
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
   * Counts one attempt from {@code client} against the account named {@code usernameKey} ({@code
   * Usernames.key}): against that account from the client's network, and against the account's
   * ceiling. A network already refused does not charge the ceiling, so it cannot use it up alone.
   *
   * @throws RateLimitedException when that name has had too many failures from this network, or
   *     from all networks together
   */
  public Permit accountAttempt(String usernameKey, ClientInfo client) {
    if (!settings.enabled()) {
      return Permit.NONE;
    }
    var fromNetwork =
        buckets.bucket("account:" + usernameKey + "@" + networkKey(client.ip()), accountLimit);
    take(fromNetwork);
    var overall = buckets.bucket("account:" + usernameKey, accountCeiling);
    try {
      take(overall);
    } catch (RateLimitedException refused) {
      fromNetwork.addTokens(1);
      throw refused;
    }
    return new Permit(fromNetwork, overall);
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
    // only a bucket this node saw empty is looked up (see apiKeyExhausted): a success costs nothing
    String key = "api-key:" + ipKey(ip);
    if (apiKeyExhausted.getIfPresent(key) == null) {
      return OptionalLong.empty();
    }
    var bucket = buckets.existing(key);
    var probe = bucket.map(b -> b.estimateAbilityToConsume(1)).orElse(null);
    if (probe == null || probe.canBeConsumed()) {
      apiKeyExhausted.invalidate(key);
      return OptionalLong.empty();
    }
    return OptionalLong.of(seconds(probe.getNanosToWaitForRefill()));
  }

  /** Whether API keys from {@code ip} may be checked now. */
  public boolean apiKeyAllowed(String ip) {
    return apiKeyRetryAfter(ip).isEmpty();
  }

  /** Counts one failed API-key authentication from {@code ip}. */
  public void apiKeyFailed(String ip) {
    if (settings.enabled() && ip != null) {
      String key = "api-key:" + ipKey(ip);
      var probe = buckets.bucket(key, apiKeyLimit).tryConsumeAndReturnRemaining(1);
      if (!probe.isConsumed() || probe.getRemainingTokens() == 0) {
        apiKeyExhausted.put(key, Boolean.TRUE);
      }
    }
  }

  /**
   * The seconds to wait before an OAuth client may try to authenticate again, or empty: when its
   * address has had too many client-authentication failures, or the client id named ({@code
   * clientId}, may be null) has had too many from the address's network or from all networks
   * together. Only failures charge these buckets, so a client that never failed costs no look-up
   * beyond a probe.
   */
  public OptionalLong clientAuthRetryAfter(String clientId, String ip) {
    if (!settings.enabled()) {
      return OptionalLong.empty();
    }
    long wait = 0;
    for (var limit : clientAuthLimits(clientId, ip)) {
      var bucket = buckets.existing(limit.key());
      if (bucket.isPresent()) {
        var probe = bucket.get().estimateAbilityToConsume(1);
        if (!probe.canBeConsumed()) {
          wait = Math.max(wait, seconds(probe.getNanosToWaitForRefill()));
        }
      }
    }
    return wait == 0 ? OptionalLong.empty() : OptionalLong.of(wait);
  }

  /**
   * Counts one failed OAuth client authentication from {@code ip} naming {@code clientId} (null
   * when the request named none): against the address ({@code
   * portcullis.rate-limit.client-auth.*}), the client id from the address's network ({@code
   * account.*}) and the client id overall ({@code account-ceiling.*}).
   */
  public void clientAuthFailed(String clientId, String ip) {
    if (settings.enabled()) {
      for (var limit : clientAuthLimits(clientId, ip)) {
        buckets.bucket(limit.key(), limit.configuration()).tryConsume(1);
      }
    }
  }

  /** A bucket key and the limit its bucket is created with. */
  private record KeyedLimit(String key, BucketConfiguration configuration) {}

  /** Client ids are kept by hash: a presented one may be any text. */
  private List<KeyedLimit> clientAuthLimits(String clientId, String ip) {
    var limits = new ArrayList<KeyedLimit>(3);
    if (ip != null) {
      limits.add(new KeyedLimit("client-ip:" + ipKey(ip), clientAuthLimit));
    }
    if (clientId != null) {
      String id = OpaqueTokens.sha256(clientId);
      limits.add(new KeyedLimit("client:" + id + "@" + networkKey(ip), accountLimit));
      limits.add(new KeyedLimit("client:" + id, accountCeiling));
    }
    return limits;
  }

  /**
   * Forgets the failures counted against an account name from all networks together (an
   * administrator's unlock). The per-network buckets refill on their own: they cannot be listed,
   * and an attacker's network should stay limited anyway.
   */
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

  /**
   * The network an address belongs to, for the limits per account and network: an IPv4 address's
   * /24, an IPv6 address's /64 (the block one subscriber usually holds); {@code "unknown"} without
   * an address.
   *
   * <p>IPv4 by /24 rather than by address: an attacker holding a block of addresses (a hosting
   * subnet, a cloud range) gets one budget per block, not 256; the price is that an owner in the
   * same /24 as the attacker (one NAT, one carrier-grade NAT pool) shares the attacker's refusals,
   * unless they log in from a known device.
   */
  public static String networkKey(String ip) {
    if (ip == null || ip.isEmpty()) {
      return "unknown";
    }
    if (ip.indexOf(':') >= 0) {
      return ipKey(ip);
    }
    var m = IPV4.matcher(ip);
    // anything else is not an address literal (never looked up): its own network
    return m.matches() ? m.group(1) + ".0/24" : ip;
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
