package dev.portcullis.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.config.InvalidSettingException;
import dev.portcullis.config.MapConfig;
import dev.portcullis.problem.ErrorCode;
import dev.portcullis.web.ClientInfo;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RateLimitsTest {

  private long nanos = 0;
  private final TimeMeter time =
      new TimeMeter() {
        @Override
        public long currentTimeNanos() {
          return nanos;
        }

        @Override
        public boolean isWallClockBased() {
          return false;
        }
      };

  private RateLimits limits(Map<String, String> config) {
    var settings = RateLimitSettings.read(new MapConfig(config));
    return new RateLimits(
        settings, new LocalRateLimitBuckets(1000, settings.longestPeriod(), time));
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    var s = RateLimitSettings.read(new MapConfig(Map.of()));
    assertThat(s.ip()).isEqualTo(new RateLimitSettings.Limit(100, Duration.ofMinutes(1)));
    assertThat(s.account()).isEqualTo(new RateLimitSettings.Limit(10, Duration.ofMinutes(15)));
    assertThat(s.accountCeiling())
        .isEqualTo(new RateLimitSettings.Limit(100, Duration.ofMinutes(15)));
    assertThat(s.apiKey()).isEqualTo(new RateLimitSettings.Limit(20, Duration.ofMinutes(1)));
    assertThat(s.clientAuth()).isEqualTo(new RateLimitSettings.Limit(20, Duration.ofMinutes(1)));
    assertThat(s.knownDeviceFailures()).isEqualTo(5);
    assertThat(s.lockout())
        .isEqualTo(
            new LockoutPolicy(
                5, Duration.ofSeconds(30), Duration.ofMinutes(15), Duration.ofHours(1)));
  }

  @Test
  void ipIsRefusedAfterItsAttemptsWithTheSecondsToWait() {
    var limits =
        limits(
            Map.of(
                "portcullis.rate-limit.ip.attempts", "3",
                "portcullis.rate-limit.ip.period", "PT60S"));
    var client = new ClientInfo("192.0.2.1", null);
    for (int i = 0; i < 3; i++) {
      limits.attempt(client);
    }
    assertThatThrownBy(() -> limits.attempt(client))
        .isInstanceOfSatisfying(
            RateLimitedException.class,
            e -> {
              assertThat(e.problem().status()).isEqualTo(429);
              assertThat(e.problem().code()).isEqualTo(ErrorCode.RATE_LIMITED.code());
              assertThat(e.retryAfterSeconds()).isEqualTo(20);
            });
    limits.attempt(new ClientInfo("192.0.2.2", null));
    nanos += TimeUnit.SECONDS.toNanos(20);
    limits.attempt(client);
  }

  @Test
  void ipv6ClientsShareTheirSlash64() {
    var limits = limits(Map.of("portcullis.rate-limit.ip.attempts", "1"));
    limits.attempt(new ClientInfo("2001:db8:1:2:0:0:0:1", null));
    assertThatThrownBy(() -> limits.attempt(new ClientInfo("2001:db8:1:2:ffff:0:0:9", null)))
        .isInstanceOf(RateLimitedException.class);
    limits.attempt(new ClientInfo("2001:db8:1:3:0:0:0:1", null));
  }

  private static final ClientInfo ATTACKER = new ClientInfo("192.0.2.66", null);
  private static final ClientInfo ATTACKER_NEIGHBOUR = new ClientInfo("192.0.2.200", null);
  private static final ClientInfo OWNER = new ClientInfo("198.51.100.7", null);

  @Test
  void onlyFailedAccountAttemptsCount() {
    var limits = limits(Map.of("portcullis.rate-limit.account.failures", "2"));
    for (int i = 0; i < 10; i++) {
      limits.accountAttempt("alice", ATTACKER).succeeded();
    }
    limits.accountAttempt("alice", ATTACKER);
    limits.accountAttempt("alice", ATTACKER);
    assertThatThrownBy(() -> limits.accountAttempt("alice", ATTACKER))
        .isInstanceOf(RateLimitedException.class);
    limits.accountAttempt("bob", ATTACKER);
  }

  @Test
  void accountFailuresFromOneNetworkRefuseThatNetworkOnly() {
    var limits = limits(Map.of("portcullis.rate-limit.account.failures", "3"));
    for (int i = 0; i < 3; i++) {
      limits.accountAttempt("alice", ATTACKER);
    }
    assertThatThrownBy(() -> limits.accountAttempt("alice", ATTACKER))
        .isInstanceOf(RateLimitedException.class);
    assertThatThrownBy(() -> limits.accountAttempt("alice", ATTACKER_NEIGHBOUR))
        .as("the same /24")
        .isInstanceOf(RateLimitedException.class);
    limits.accountAttempt("alice", OWNER).succeeded();
    limits.accountAttempt("alice", OWNER);
  }

  @Test
  void theAccountCeilingHoldsAcrossNetworksAndARefusedNetworkDoesNotChargeIt() {
    var limits =
        limits(
            Map.of(
                "portcullis.rate-limit.account.failures", "2",
                "portcullis.rate-limit.account-ceiling.failures", "5",
                "portcullis.rate-limit.account-ceiling.period", "PT10M"));
    for (int i = 0; i < 10; i++) {
      try {
        limits.accountAttempt("alice", ATTACKER);
      } catch (RateLimitedException refused) {
        // the network's own limit: 2 charge the ceiling, the 8 refused do not
      }
    }
    limits.accountAttempt("alice", new ClientInfo("203.0.113.1", null));
    limits.accountAttempt("alice", new ClientInfo("203.0.113.2", null));
    limits.accountAttempt("alice", new ClientInfo("2001:db8::1", null));
    assertThatThrownBy(() -> limits.accountAttempt("alice", OWNER))
        .as("five failures from three networks reach the ceiling")
        .isInstanceOfSatisfying(
            RateLimitedException.class, e -> assertThat(e.retryAfterSeconds()).isEqualTo(120));
    limits.accountAttempt("bob", OWNER);
    limits.forgetAccount("alice");
    limits.accountAttempt("alice", OWNER);
  }

  @Test
  void aNetworkIsAnIpv4Slash24OrAnIpv6Slash64() {
    assertThat(RateLimits.networkKey("192.0.2.66")).isEqualTo("192.0.2.0/24");
    assertThat(RateLimits.networkKey("192.0.2.200")).isEqualTo("192.0.2.0/24");
    assertThat(RateLimits.networkKey("2001:db8:1:2::9")).isEqualTo("20010db800010002::/64");
    assertThat(RateLimits.networkKey("2001:db8:1:2:ffff::1"))
        .isEqualTo(RateLimits.networkKey("2001:db8:1:2::9"));
    assertThat(RateLimits.networkKey(null)).isEqualTo("unknown");
    assertThat(RateLimits.networkKey("not-an-address")).isEqualTo("not-an-address");
  }

  @Test
  void apiKeyFailuresBlockTheIpUntilRefilled() {
    var limits =
        limits(
            Map.of(
                "portcullis.rate-limit.api-key.failures", "2",
                "portcullis.rate-limit.api-key.period", "PT10S"));
    limits.apiKeyFailed("192.0.2.1");
    assertThat(limits.apiKeyAllowed("192.0.2.1")).isTrue();
    limits.apiKeyFailed("192.0.2.1");
    assertThat(limits.apiKeyRetryAfter("192.0.2.1")).hasValue(5);
    assertThat(limits.apiKeyAllowed("192.0.2.9")).isTrue();
    nanos += TimeUnit.SECONDS.toNanos(5);
    assertThat(limits.apiKeyAllowed("192.0.2.1")).isTrue();
  }

  @Test
  void checkingAnIpThatNeverFailedKeepsNoBucketForIt() {
    var settings = RateLimitSettings.read(new MapConfig(Map.of()));
    var buckets = new LocalRateLimitBuckets(1000, settings.longestPeriod(), time);
    var limits = new RateLimits(settings, buckets);

    assertThat(limits.apiKeyAllowed("192.0.2.1")).isTrue();
    assertThat(buckets.existing("api-key:192.0.2.1")).isEmpty();

    limits.apiKeyFailed("192.0.2.1");
    assertThat(buckets.existing("api-key:192.0.2.1")).isPresent();
  }

  /**
   * Issue 18: on PostgreSQL a bucket look-up locks the address's row, so the check before every
   * API-key request looks up only a bucket this node saw empty, never one that merely had failures.
   */
  @Test
  void anApiKeyCheckLooksUpOnlyABucketSeenEmpty() {
    var settings =
        RateLimitSettings.read(
            new MapConfig(
                Map.of(
                    "portcullis.rate-limit.api-key.failures", "3",
                    "portcullis.rate-limit.api-key.period", "PT30S")));
    var lookUps = new AtomicInteger();
    var local = new LocalRateLimitBuckets(1000, settings.longestPeriod(), time);
    var counting =
        new RateLimitBuckets() {
          @Override
          public Bucket bucket(String key, BucketConfiguration configuration) {
            return local.bucket(key, configuration);
          }

          @Override
          public Optional<Bucket> existing(String key) {
            lookUps.incrementAndGet();
            return local.existing(key);
          }

          @Override
          public void forget(String key) {
            local.forget(key);
          }

          @Override
          public void purgeExpired() {}
        };
    var limits = new RateLimits(settings, counting);

    limits.apiKeyFailed("192.0.2.1");
    limits.apiKeyFailed("192.0.2.1");
    for (int i = 0; i < 100; i++) {
      assertThat(limits.apiKeyAllowed("192.0.2.1")).isTrue();
    }
    assertThat(lookUps).as("two failures of three: nothing to look up").hasValue(0);

    limits.apiKeyFailed("192.0.2.1");
    assertThat(limits.apiKeyRetryAfter("192.0.2.1")).hasValue(10);
    assertThat(lookUps).hasValue(1);
    nanos += TimeUnit.SECONDS.toNanos(10);
    assertThat(limits.apiKeyAllowed("192.0.2.1")).as("a token is back").isTrue();
    assertThat(limits.apiKeyAllowed("192.0.2.1")).isTrue();
    assertThat(lookUps).as("refilled: no longer looked up").hasValue(2);
  }

  @Test
  void clientAuthFailuresBlockTheIpUntilRefilled() {
    var limits =
        limits(
            Map.of(
                "portcullis.rate-limit.client-auth.failures", "2",
                "portcullis.rate-limit.client-auth.period", "PT10S"));
    limits.clientAuthFailed("web", "192.0.2.1");
    assertThat(limits.clientAuthRetryAfter(null, "192.0.2.1")).isEmpty();
    limits.clientAuthFailed("other", "192.0.2.1");
    assertThat(limits.clientAuthRetryAfter(null, "192.0.2.1")).hasValue(5);
    assertThat(limits.clientAuthRetryAfter("web", "192.0.2.1")).hasValue(5);
    assertThat(limits.clientAuthRetryAfter("web", "198.51.100.7")).as("another address").isEmpty();
    nanos += TimeUnit.SECONDS.toNanos(5);
    assertThat(limits.clientAuthRetryAfter(null, "192.0.2.1")).isEmpty();
  }

  @Test
  void clientAuthFailuresCountPerClientIdFromANetworkAndOverall() {
    var limits =
        limits(
            Map.of(
                "portcullis.rate-limit.client-auth.failures", "1000",
                "portcullis.rate-limit.account.failures", "2",
                "portcullis.rate-limit.account-ceiling.failures", "3"));
    limits.clientAuthFailed("web", ATTACKER.ip());
    limits.clientAuthFailed("web", ATTACKER_NEIGHBOUR.ip());
    assertThat(limits.clientAuthRetryAfter("web", ATTACKER.ip()))
        .as("the client id from the attacker's /24")
        .isPresent();
    assertThat(limits.clientAuthRetryAfter("web", OWNER.ip())).isEmpty();
    assertThat(limits.clientAuthRetryAfter("api", ATTACKER.ip())).as("another client").isEmpty();
    limits.clientAuthFailed("web", "203.0.113.1");
    assertThat(limits.clientAuthRetryAfter("web", OWNER.ip()))
        .as("three failures from two networks reach the client id's ceiling")
        .isPresent();
  }

  @Test
  void checkingAClientThatNeverFailedKeepsNoBucket() {
    var settings = RateLimitSettings.read(new MapConfig(Map.of()));
    var buckets = new LocalRateLimitBuckets(1000, settings.longestPeriod(), time);
    var limits = new RateLimits(settings, buckets);

    assertThat(limits.clientAuthRetryAfter("web", "192.0.2.1")).isEmpty();
    assertThat(buckets.existing("client-ip:192.0.2.1")).isEmpty();

    limits.clientAuthFailed("web", "192.0.2.1");
    assertThat(buckets.existing("client-ip:192.0.2.1")).isPresent();
  }

  @Test
  void disabledLimitsNothing() {
    var limits =
        limits(
            Map.of(
                "portcullis.rate-limit.enabled", "false",
                "portcullis.rate-limit.ip.attempts", "1"));
    for (int i = 0; i < 5; i++) {
      limits.attempt(new ClientInfo("192.0.2.1", null));
      limits.accountAttempt("alice", OWNER);
      limits.clientAuthFailed("web", "192.0.2.1");
    }
    assertThat(limits.clientAuthRetryAfter("web", "192.0.2.1")).isEmpty();
  }

  @Test
  void refusesAPermanentOrInvertedLockout() {
    assertThatThrownBy(
            () ->
                RateLimitSettings.read(
                    new MapConfig(Map.of("portcullis.rate-limit.lockout.max-duration", "P2D"))))
        .isInstanceOf(InvalidSettingException.class);
    assertThatThrownBy(
            () ->
                RateLimitSettings.read(
                    new MapConfig(Map.of("portcullis.rate-limit.ip.attempts", "0"))))
        .isInstanceOf(InvalidSettingException.class);
    assertThatThrownBy(
            () ->
                RateLimitSettings.read(
                    new MapConfig(Map.of("portcullis.rate-limit.account-ceiling.failures", "9"))))
        .as("a ceiling below the per-network limit")
        .isInstanceOf(InvalidSettingException.class);
    assertThatThrownBy(
            () ->
                RateLimitSettings.read(
                    new MapConfig(Map.of("portcullis.rate-limit.known-device.failures", "0"))))
        .isInstanceOf(InvalidSettingException.class);
  }
}
