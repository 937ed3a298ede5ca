package dev.portcullis.oauth.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.problem.ProblemException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The checks and the stored form of {@link Consents}; the database behaviour is tested in the ITs.
 */
class ConsentsTest {

  @Test
  void scopesAreRfc6749ScopeTokens() {
    for (String scope : new String[] {"openid", "orders:read", "a!b#c[d]e~", "x"}) {
      assertThat(Consents.isScopeToken(scope)).as(scope).isTrue();
    }
    for (String scope : new String[] {"", "a b", "a\"b", "a\\b", "a\tb", "é", "a\u007fb", null}) {
      assertThat(Consents.isScopeToken(scope)).as(scope).isFalse();
    }
  }

  @Test
  void aMalformedScopeOrTooManyAreRefusedWith400() {
    assertThatThrownBy(() -> Consents.validScopes(Set.of("openid", "a b")))
        .isInstanceOfSatisfying(
            ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(400));
    var many = new HashSet<String>();
    IntStream.range(0, 101).forEach(i -> many.add("s" + i));
    assertThatThrownBy(() -> Consents.validScopes(many)).isInstanceOf(ProblemException.class);
    var long_ = new HashSet<String>();
    IntStream.range(0, 20).forEach(i -> long_.add(i + "x".repeat(60)));
    assertThatThrownBy(() -> Consents.validScopes(long_))
        .as("more than the column holds")
        .isInstanceOf(ProblemException.class);
    assertThat(Consents.validScopes(Set.of("email", "openid"))).containsExactly("email", "openid");
    assertThat(Consents.validScopes(Set.of())).isEmpty();
  }

  @Test
  void clientIdsAreNonBlankPrintableAndFitTheColumn() {
    assertThat(Consents.isClientId("legacy-app")).isTrue();
    assertThat(Consents.isClientId("x".repeat(255))).isTrue();
    assertThat(Consents.isClientId("x".repeat(256))).isFalse();
    assertThat(Consents.isClientId(" ")).isFalse();
    assertThat(Consents.isClientId(null)).isFalse();
    assertThat(Consents.isClientId("a\nb")).isFalse();
  }

  @Test
  void aLostFirstInsertIsRecognisedThroughItsCauses() {
    var duplicate = new SQLIntegrityConstraintViolationException("dup", "23505");
    assertThat(Consents.isDuplicateKey(new RuntimeException(new RuntimeException(duplicate))))
        .isTrue();
    assertThat(Consents.isDuplicateKey(new RuntimeException(new SQLException("fk", "23503"))))
        .as("a foreign-key violation (the user is gone) is not tried again")
        .isFalse();
  }

  @Test
  void storesScopesSortedSpaceSeparatedAndAddsOnly() {
    var row =
        new ClientConsent(
            UUID.randomUUID(),
            "app",
            Set.of("openid", "email"),
            Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(ClientConsent.join(row.scopes())).isEqualTo("email openid");
    row.add(Set.of("profile", "email"), Instant.parse("2026-01-02T00:00:00Z"));
    assertThat(row.scopes()).containsExactly("email", "openid", "profile");
    var consent = row.toConsent();
    assertThat(consent.grantedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(consent.scopes()).containsExactly("email", "openid", "profile");
    assertThat(ClientConsent.split("")).isEmpty();
  }
}
