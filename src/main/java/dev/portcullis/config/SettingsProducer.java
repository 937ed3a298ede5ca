package dev.portcullis.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Reads {@link Settings} from MicroProfile Config once and refuses values that would make the
 * server unsafe or inconsistent, so a bad setting stops the deployment instead of a request.
 *
 * <p>Also produces the {@link Clock} every time-dependent bean uses, so tests can pin time.
 */
@ApplicationScoped
public class SettingsProducer {

  @Produces
  @Singleton
  Settings settings() {
    return read(ConfigProvider.getConfig());
  }

  @Produces
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }

  /** Builds and validates settings from any {@link Config}; public for tests and tools. */
  public static Settings read(Config config) {
    var argon2 =
        new Settings.Argon2Settings(
            integer(config, "portcullis.password.argon2.memory-kib", 19_456),
            integer(config, "portcullis.password.argon2.iterations", 2),
            integer(config, "portcullis.password.argon2.parallelism", 1));
    var settings =
        new Settings(
            string(config, "portcullis.issuer", "http://localhost:8080"),
            string(config, "portcullis.token.audience", "portcullis"),
            string(config, "portcullis.token.algorithm", "PS256"),
            duration(config, "portcullis.token.access-ttl", "PT15M"),
            duration(config, "portcullis.token.refresh-ttl", "P7D"),
            duration(config, "portcullis.token.refresh-max-ttl", "P30D"),
            duration(config, "portcullis.token.clock-leeway", "PT30S"),
            duration(config, "portcullis.keys.rotation-period", "P30D"),
            duration(config, "portcullis.keys.publish-lead", "PT1H"),
            argon2,
            integer(config, "portcullis.password.min-length", 8),
            integer(config, "portcullis.password.max-length", 256),
            list(config, "portcullis.roles", "user,admin"),
            optional(config, "portcullis.master-key"),
            optional(config, "portcullis.master-key-file").map(Path::of),
            config.getOptionalValue("portcullis.dev-mode", Boolean.class).orElse(false),
            Path.of(string(config, "portcullis.data-dir", "data")),
            string(config, "portcullis.bootstrap.admin-username", "admin"),
            optional(config, "portcullis.bootstrap.admin-password"),
            integer(config, "portcullis.http.max-request-bytes", 65_536),
            duration(config, "portcullis.api-keys.rotation-grace", "PT24H"),
            integer(config, "portcullis.api-keys.max-per-user", 100),
            duration(config, "portcullis.session.idle-timeout", "PT30M"),
            duration(config, "portcullis.session.absolute-timeout", "PT12H"),
            list(config, "portcullis.cors.allowed-origins", ""),
            config.getOptionalValue("portcullis.http.require-https", Boolean.class).orElse(true),
            optional(config, "portcullis.clients-file").map(Path::of));
    validate(settings);
    return settings;
  }

  static void validate(Settings s) {
    require(
        Set.of("PS256", "RS256", "ES256").contains(s.tokenAlgorithm()),
        "portcullis.token.algorithm must be PS256, RS256 or ES256");
    require(
        positive(s.accessTokenTtl()) && s.accessTokenTtl().compareTo(Duration.ofHours(24)) <= 0,
        "portcullis.token.access-ttl must be between 1 second and 24 hours");
    require(positive(s.refreshTokenTtl()), "portcullis.token.refresh-ttl must be positive");
    require(
        s.refreshFamilyMaxTtl().compareTo(s.refreshTokenTtl()) >= 0,
        "portcullis.token.refresh-max-ttl must not be shorter than portcullis.token.refresh-ttl");
    require(
        !s.clockLeeway().isNegative() && s.clockLeeway().compareTo(Duration.ofMinutes(5)) <= 0,
        "portcullis.token.clock-leeway must be between 0 and 5 minutes");
    require(
        s.keyPublishLead().compareTo(Settings.MINIMUM_PUBLISH_LEAD) >= 0,
        "portcullis.keys.publish-lead must be at least 10 minutes (MicroProfile JWT caches a JWKS for 5)");
    require(
        s.keyRotationPeriod().compareTo(s.keyPublishLead().multipliedBy(2)) >= 0,
        "portcullis.keys.rotation-period must be at least twice portcullis.keys.publish-lead");
    require(
        s.argon2().memoryKib() >= 8 * s.argon2().parallelism()
            && s.argon2().iterations() >= 1
            && s.argon2().parallelism() >= 1,
        "portcullis.password.argon2.* are out of range");
    require(
        s.passwordMinLength() >= 1
            && s.passwordMaxLength() >= 128
            && s.passwordMaxLength() <= 1024
            && s.passwordMinLength() <= s.passwordMaxLength(),
        "portcullis.password.max-length must be 128..1024 and min-length at most max-length");
    require(
        s.knownRoles().contains("admin") && s.knownRoles().contains("user"),
        "portcullis.roles must include user and admin");
    require(s.maxRequestBytes() >= 1024, "portcullis.http.max-request-bytes must be at least 1024");
    require(!s.issuer().isBlank(), "portcullis.issuer must not be blank");
    require(
        !s.apiKeyRotationGrace().isNegative()
            && s.apiKeyRotationGrace().compareTo(Duration.ofDays(30)) <= 0,
        "portcullis.api-keys.rotation-grace must be between 0 and 30 days");
    require(
        positive(s.sessionIdleTimeout())
            && s.sessionAbsoluteTimeout().compareTo(s.sessionIdleTimeout()) >= 0,
        "portcullis.session.idle-timeout must be positive and not above absolute-timeout");
    require(
        s.corsAllowedOrigins().stream().allMatch(o -> o.matches("https?://[^/\\s*]+")),
        "portcullis.cors.allowed-origins must be exact origins such as https://app.example.com");
    require(s.apiKeysPerUser() >= 1, "portcullis.api-keys.max-per-user must be at least 1");
  }

  private static boolean positive(Duration d) {
    return !d.isNegative() && !d.isZero();
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new InvalidSettingException(message);
    }
  }

  private static String string(Config config, String key, String fallback) {
    return optional(config, key).orElse(fallback);
  }

  private static Optional<String> optional(Config config, String key) {
    return config.getOptionalValue(key, String.class).map(String::strip).filter(v -> !v.isEmpty());
  }

  private static int integer(Config config, String key, int fallback) {
    var value = optional(config, key);
    try {
      return value.map(Integer::parseInt).orElse(fallback);
    } catch (NumberFormatException e) {
      throw new InvalidSettingException(key + " must be a whole number");
    }
  }

  private static Duration duration(Config config, String key, String fallback) {
    try {
      return Duration.parse(string(config, key, fallback));
    } catch (RuntimeException e) {
      throw new InvalidSettingException(key + " must be an ISO-8601 duration such as PT15M");
    }
  }

  private static Set<String> list(Config config, String key, String fallback) {
    return Arrays.stream(string(config, key, fallback).split(","))
        .map(String::strip)
        .filter(v -> !v.isEmpty())
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }
}
