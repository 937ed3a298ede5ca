package dev.portcullis.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.apikey.ApiKeyVerifier.Refusal;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ApiKeyVerifierTest {

  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private final ApiKeyFormat.GeneratedKey key = ApiKeyFormat.generate();
  private final AtomicInteger comparisons = new AtomicInteger();

  private ApiKeyRecord record(
      String secretHash,
      String previousHash,
      Instant previousUntil,
      Instant expires,
      Instant revoked) {
    return new ApiKeyRecord(
        key.id(),
        UUID.randomUUID(),
        Set.of("user"),
        null,
        secretHash,
        previousHash,
        previousUntil,
        expires,
        revoked);
  }

  private ApiKeyVerifier verifier(ApiKeyRecord stored) {
    return new ApiKeyVerifier(
        id -> id.equals(stored.id()) ? Optional.of(stored) : Optional.empty(),
        (a, b) -> {
          comparisons.incrementAndGet();
          return MessageDigest.isEqual(a, b);
        });
  }

  @Test
  void acceptsTheRightKeyThroughTheConstantTimeComparison() {
    var outcome =
        verifier(record(ApiKeyVerifier.hash(key.secret()), null, null, null, null))
            .verify(key.value(), NOW);
    assertThat(outcome.valid()).isTrue();
    assertThat(outcome.key().id()).isEqualTo(key.id());
    assertThat(comparisons).hasPositiveValue();
  }

  @Test
  void malformedKeysAreRefusedWithoutALookup() {
    var verifier =
        new ApiKeyVerifier(
            id -> {
              throw new AssertionError("looked up " + id);
            },
            MessageDigest::isEqual);
    String value = key.value();
    String typo =
        value.substring(0, 30) + (value.charAt(30) == 'a' ? 'b' : 'a') + value.substring(31);
    for (String bad : new String[] {typo, "ptc_x", "Bearer x", "", value + "x"}) {
      var outcome = verifier.verify(bad, NOW);
      assertThat(outcome.valid()).isFalse();
      assertThat(outcome.refusal()).isEqualTo(Refusal.MALFORMED);
    }
  }

  @Test
  void refusesUnknownWrongSecretRevokedAndExpiredKeys() {
    var other = ApiKeyFormat.withId(key.id());
    var stored = record(ApiKeyVerifier.hash(key.secret()), null, null, null, null);
    assertThat(verifier(stored).verify(other.value(), NOW).refusal())
        .isEqualTo(Refusal.WRONG_SECRET);
    assertThat(verifier(stored).verify(ApiKeyFormat.generate().value(), NOW).refusal())
        .isEqualTo(Refusal.UNKNOWN);
    assertThat(
            verifier(
                    record(
                        ApiKeyVerifier.hash(key.secret()), null, null, null, NOW.minusSeconds(1)))
                .verify(key.value(), NOW)
                .refusal())
        .isEqualTo(Refusal.REVOKED);
    assertThat(
            verifier(record(ApiKeyVerifier.hash(key.secret()), null, null, NOW, null))
                .verify(key.value(), NOW)
                .refusal())
        .isEqualTo(Refusal.EXPIRED);
    assertThat(
            verifier(
                    record(ApiKeyVerifier.hash(key.secret()), null, null, NOW.plusSeconds(1), null))
                .verify(key.value(), NOW)
                .valid())
        .isTrue();
  }

  @Test
  void thePreviousSecretWorksOnlyUntilTheGraceEnds() {
    var rotated = ApiKeyFormat.withId(key.id());
    Instant graceEnd = NOW.plus(Duration.ofHours(1));
    var stored =
        record(
            ApiKeyVerifier.hash(rotated.secret()),
            ApiKeyVerifier.hash(key.secret()),
            graceEnd,
            null,
            null);
    var verifier = verifier(stored);
    assertThat(verifier.verify(key.value(), NOW).valid()).isTrue();
    assertThat(verifier.verify(rotated.value(), NOW).valid()).isTrue();
    assertThat(verifier.verify(key.value(), graceEnd).refusal()).isEqualTo(Refusal.WRONG_SECRET);
    assertThat(verifier.verify(rotated.value(), graceEnd).valid()).isTrue();
  }
}
