package dev.portcullis.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.config.MapConfig;
import dev.portcullis.config.SettingsProducer;
import dev.portcullis.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.jose4j.jwk.RsaJwkGenerator;
import org.junit.jupiter.api.Test;

/**
 * The verified-token cache never outlives what it caches: a token verified once is still refused
 * when it expires, and when the key that signed it is revoked or no longer published.
 */
class AccessTokenCacheTest {

  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  private final MovableClock clock = new MovableClock(T0);
  private final AtomicReference<KeyRing> ring = new AtomicReference<>();
  private final AccessTokens tokens;

  AccessTokenCacheTest() throws Exception {
    var jwk = RsaJwkGenerator.generateJwk(2048);
    jwk.setKeyId("k1");
    var settings =
        SettingsProducer.read(
            new MapConfig(
                Map.of(
                    "portcullis.issuer",
                    "https://id.example",
                    "portcullis.token.clock-leeway",
                    "PT10S")));
    ring.set(
        new KeyRing(
            List.of(new KeyRing.Entry("k1", "PS256", jwk, T0.minusSeconds(60), null)),
            settings.maxTokenLifetime()));
    tokens = new AccessTokens(settings, clock, ring::get);
  }

  private String issue() {
    return tokens
        .issue(UUID.randomUUID(), "alice", Set.of("user"), UUID.randomUUID().toString())
        .value();
  }

  @Test
  void aCachedTokenStillExpires() throws Exception {
    String token = issue();
    assertThat(tokens.verify(token).username()).isEqualTo("alice");
    assertThat(tokens.verify(token).username()).as("served from the cache").isEqualTo("alice");
    clock.set(T0.plus(Duration.ofMinutes(15)).plusSeconds(9));
    assertThat(tokens.verify(token).username()).as("inside the leeway").isEqualTo("alice");
    clock.set(T0.plus(Duration.ofMinutes(15)).plusSeconds(10));
    assertThatThrownBy(() -> tokens.verify(token))
        .isInstanceOfSatisfying(InvalidTokenException.class, e -> assertThat(e.expired()).isTrue());
  }

  @Test
  void aCachedTokenDiesWithItsKey() throws Exception {
    String token = issue();
    tokens.verify(token);
    var current = ring.get();
    ring.set(KeyRing.empty(Duration.ofMinutes(16)));
    assertThatThrownBy(() -> tokens.verify(token))
        .isInstanceOfSatisfying(
            InvalidTokenException.class, e -> assertThat(e.expired()).isFalse());
    ring.set(current);
    assertThat(tokens.verify(token).username()).as("verified afresh").isEqualTo("alice");
  }

  @Test
  void aTamperedCopyIsNotServedFromTheCache() throws Exception {
    String token = issue();
    tokens.verify(token);
    String tampered =
        token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
    assertThatThrownBy(() -> tokens.verify(tampered)).isInstanceOf(InvalidTokenException.class);
  }
}
