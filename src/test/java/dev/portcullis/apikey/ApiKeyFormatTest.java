package dev.portcullis.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import org.junit.jupiter.api.Test;

class ApiKeyFormatTest {

  @Test
  void generatedKeysRoundTripAndMatchThePublishedPattern() {
    var key = ApiKeyFormat.generate();
    assertThat(key.value()).matches(ApiKeyFormat.PATTERN).startsWith("ptc_" + key.id() + "_");
    assertThat(key.secret()).hasSize(43);
    var parsed = ApiKeyFormat.parse(key.value()).orElseThrow();
    assertThat(parsed.id()).isEqualTo(key.id());
    assertThat(parsed.secret()).isEqualTo(key.secret());
    assertThat(key.toString()).doesNotContain(key.secret());
  }

  @Test
  void secretsAndIdsAreUnique() {
    var ids = new HashSet<String>();
    var secrets = new HashSet<String>();
    for (int i = 0; i < 1000; i++) {
      var key = ApiKeyFormat.generate();
      ids.add(key.id());
      secrets.add(key.secret());
    }
    assertThat(ids).hasSize(1000);
    assertThat(secrets).hasSize(1000);
  }

  @Test
  void everySingleCharacterTypoIsCaughtByTheChecksum() {
    String value = ApiKeyFormat.generate().value();
    String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    for (int i = 0; i < value.length(); i++) {
      char original = value.charAt(i);
      char typo = alphabet.charAt((alphabet.indexOf(original) + 7) % alphabet.length());
      String mistyped = value.substring(0, i) + typo + value.substring(i + 1);
      assertThat(ApiKeyFormat.parse(mistyped)).as("typo at %d", i).isEmpty();
    }
  }

  @Test
  void refusesMalformedInput() {
    String value = ApiKeyFormat.generate().value();
    assertThat(ApiKeyFormat.parse(null)).isEmpty();
    assertThat(ApiKeyFormat.parse("")).isEmpty();
    assertThat(ApiKeyFormat.parse(value.substring(1))).isEmpty();
    assertThat(ApiKeyFormat.parse(value + "0")).isEmpty();
    assertThat(ApiKeyFormat.parse(value.toUpperCase())).isEmpty();
    assertThat(ApiKeyFormat.parse(value.replace("ptc_", "ptk_"))).isEmpty();
    assertThat(ApiKeyFormat.parse(" " + value.substring(1))).isEmpty();
  }

  @Test
  void rotationKeepsTheIdAndChangesTheSecret() {
    var key = ApiKeyFormat.generate();
    var rotated = ApiKeyFormat.withId(key.id());
    assertThat(rotated.id()).isEqualTo(key.id());
    assertThat(rotated.secret()).isNotEqualTo(key.secret());
    assertThat(ApiKeyFormat.parse(rotated.value())).isPresent();
  }
}
