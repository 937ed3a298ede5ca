package dev.portcullis.user;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.config.Settings.Argon2Settings;
import org.junit.jupiter.api.Test;

class PasswordHashingTest {

  private final PasswordHashing hashing = new PasswordHashing(Argon2Settings.OWASP);

  @Test
  void hashesInPhcFormatWithOwaspParametersAndFreshSalt() {
    String first = hashing.hash("correct horse battery staple");
    String second = hashing.hash("correct horse battery staple");
    assertThat(first).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    assertThat(first.split("\\$")).hasSize(6);
    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void verifiesTheRightPasswordOnly() {
    String phc = hashing.hash("s3cret-Passw0rd");
    assertThat(hashing.verify("s3cret-Passw0rd", phc)).isTrue();
    assertThat(hashing.verify("s3cret-Passw0rD", phc)).isFalse();
    assertThat(hashing.verify("s3cret-Passw0r", phc)).isFalse();
    assertThat(hashing.verify("", phc)).isFalse();
  }

  @Test
  void normalisesUnicodeBeforeHashing() {
    String composed = "caf\u00e9-Pass";
    String decomposed = "cafe\u0301-Pass";
    assertThat(hashing.verify(decomposed, hashing.hash(composed))).isTrue();
  }

  @Test
  void longPasswordsAreNotTruncated() {
    String base = "x".repeat(200);
    String phc = hashing.hash(base + "A");
    assertThat(hashing.verify(base + "A", phc)).isTrue();
    assertThat(hashing.verify(base + "B", phc)).isFalse();
  }

  @Test
  void refusesMalformedOrForeignHashes() {
    assertThat(hashing.verify("pw", null)).isFalse();
    assertThat(hashing.verify("pw", "")).isFalse();
    assertThat(hashing.verify("pw", "$2a$10$abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ01234"))
        .isFalse();
    assertThat(hashing.verify("pw", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaA"))
        .isFalse();
  }

  @Test
  void flagsHashesMadeWithOtherParametersForRehash() {
    var weaker = new PasswordHashing(new Argon2Settings(8192, 1, 1));
    String old = weaker.hash("upgrade-me-please");
    assertThat(hashing.verify("upgrade-me-please", old)).as("still verifies").isTrue();
    assertThat(hashing.needsRehash(old)).isTrue();
    assertThat(hashing.needsRehash(hashing.hash("current"))).isFalse();
    assertThat(hashing.needsRehash("garbage")).isTrue();
  }
}
