package dev.portcullis.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.config.InvalidSettingException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class MasterKeyTest {

  private static byte[] randomKey() {
    var key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }

  private final MasterKey key = new MasterKey(randomKey());
  private final byte[] secret = "private key bytes".getBytes(StandardCharsets.UTF_8);

  @Test
  void roundTripsWithAFreshNonceEachTime() {
    String first = key.encrypt(secret, "kid-1");
    String second = key.encrypt(secret, "kid-1");
    assertThat(first).isNotEqualTo(second);
    assertThat(key.decrypt(first, "kid-1")).isEqualTo(secret);
    assertThat(new String(Base64.getDecoder().decode(first), StandardCharsets.ISO_8859_1))
        .doesNotContain(new String(secret, StandardCharsets.ISO_8859_1));
  }

  @Test
  void refusesAnotherKeyAnotherContextOrATamperedValue() {
    String sealed = key.encrypt(secret, "kid-1");
    assertThatThrownBy(() -> new MasterKey(randomKey()).decrypt(sealed, "kid-1"))
        .isInstanceOf(WrongMasterKeyException.class);
    assertThatThrownBy(() -> key.decrypt(sealed, "kid-2"))
        .as("a ciphertext moved to another row")
        .isInstanceOf(WrongMasterKeyException.class);
    byte[] bytes = Base64.getDecoder().decode(sealed);
    bytes[bytes.length - 1] ^= 1;
    String tampered = Base64.getEncoder().encodeToString(bytes);
    assertThatThrownBy(() -> key.decrypt(tampered, "kid-1"))
        .isInstanceOf(WrongMasterKeyException.class);
    assertThatThrownBy(() -> key.decrypt("AAAA", "kid-1"))
        .isInstanceOf(WrongMasterKeyException.class);
  }

  @Test
  void refusesKeysOfTheWrongSize() {
    assertThatThrownBy(() -> new MasterKey(new byte[16]))
        .isInstanceOf(InvalidSettingException.class);
  }
}
