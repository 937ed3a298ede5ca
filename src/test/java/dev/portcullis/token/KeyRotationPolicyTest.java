package dev.portcullis.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The key schedule with a pinned clock: publish ahead, take over on time, retire after expiry. */
class KeyRotationPolicyTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration PERIOD = Duration.ofDays(30);
  private static final Duration LEAD = Duration.ofHours(1);
  private static final Duration MAX_TOKEN = Duration.ofMinutes(15);
  private static PublicJsonWebKey jwk;

  private final KeyRotationPolicy policy = new KeyRotationPolicy(PERIOD, LEAD);

  @BeforeAll
  static void generate() throws Exception {
    jwk = RsaJwkGenerator.generateJwk(2048);
  }

  private static KeyRing.Entry key(String kid, Instant activates) {
    return new KeyRing.Entry(kid, "PS256", jwk, activates, null);
  }

  private static KeyRing ring(KeyRing.Entry... keys) {
    return new KeyRing(new ArrayList<>(List.of(keys)), MAX_TOKEN);
  }

  @Test
  void withNoKeyAKeyIsNeededAtOnce() {
    assertThat(policy.nextActivation(KeyRing.empty(MAX_TOKEN), "PS256", T0)).contains(T0);
  }

  @Test
  void theSuccessorIsPublishedTheLeadTimeBeforeItSigns() {
    var ring = ring(key("a", T0));
    Instant due = T0.plus(PERIOD);
    assertThat(policy.nextActivation(ring, "PS256", due.minus(LEAD).minusSeconds(1))).isEmpty();
    assertThat(policy.nextActivation(ring, "PS256", due.minus(LEAD))).contains(due);
    Instant late = due.plusSeconds(600);
    assertThat(policy.nextActivation(ring, "PS256", late))
        .as("a missed schedule still publishes ahead")
        .contains(late.plus(LEAD));
  }

  @Test
  void aPendingSuccessorMeansNothingMoreIsNeeded() {
    Instant due = T0.plus(PERIOD);
    var ring = ring(key("a", T0), key("b", due));
    assertThat(policy.nextActivation(ring, "PS256", due.minus(LEAD))).isEmpty();
  }

  @Test
  void theNewestActiveKeySignsAndTheOldOneVerifiesUntilItsTokensExpire() {
    Instant switchAt = T0.plus(PERIOD);
    var ring = ring(key("a", T0), key("b", switchAt));
    assertThat(ring.signingKey("PS256", switchAt.minusSeconds(1)).get().kid()).isEqualTo("a");
    assertThat(ring.published(switchAt.minusSeconds(1)))
        .extracting(KeyRing.Entry::kid)
        .containsExactly("a", "b");
    assertThat(ring.signingKey("PS256", switchAt).get().kid()).isEqualTo("b");
    assertThat(ring.verificationKey("a", switchAt.plus(MAX_TOKEN).minusSeconds(1))).isPresent();
    assertThat(ring.verificationKey("a", switchAt.plus(MAX_TOKEN))).isEmpty();
    assertThat(ring.published(switchAt.plus(MAX_TOKEN)))
        .extracting(KeyRing.Entry::kid)
        .containsExactly("b");
    assertThat(ring.expired(switchAt.plus(MAX_TOKEN)))
        .extracting(KeyRing.Entry::kid)
        .containsExactly("a");
    assertThat(ring.verificationKey("unknown", switchAt)).isEmpty();
    assertThat(ring.verificationKey(null, switchAt)).isEmpty();
  }

  @Test
  void keysOfOtherAlgorithmsDoNotRetireEachOther() {
    var ring = ring(key("a", T0), new KeyRing.Entry("e", "ES256", jwk, T0.plusSeconds(5), null));
    assertThat(ring.signingKey("PS256", T0.plusSeconds(10)).get().kid()).isEqualTo("a");
    assertThat(ring.signingKey("ES256", T0.plusSeconds(10)).get().kid()).isEqualTo("e");
    assertThat(ring.signingKey("RS256", T0.plusSeconds(10))).isEmpty();
  }
}
