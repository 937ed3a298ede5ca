package dev.portcullis.oauth.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import org.junit.jupiter.api.Test;

/** {@link ClientSecrets}: what is generated, what is stored, what matches. */
class ClientSecretsTest {

  @Test
  void aGeneratedSecretIs256RandomBitsInBase64url() {
    var seen = new HashSet<String>();
    for (int i = 0; i < 100; i++) {
      String secret = ClientSecrets.generate();
      assertThat(secret).matches("[A-Za-z0-9_-]{43}");
      assertThat(seen.add(secret)).isTrue();
    }
  }

  @Test
  void theStoredFormIsWhatSha256sumPrints() {
    // printf %s abc | sha256sum
    assertThat(ClientSecrets.hash("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(ClientSecrets.isHash(ClientSecrets.hash("abc"))).isTrue();
    assertThat(ClientSecrets.isHash(ClientSecrets.hash("abc").toUpperCase())).isFalse();
    assertThat(ClientSecrets.isHash("abc")).isFalse();
    assertThat(ClientSecrets.isHash(null)).isFalse();
  }

  @Test
  void onlyTheSecretItselfMatches() {
    String secret = ClientSecrets.generate();
    String hash = ClientSecrets.hash(secret);
    assertThat(ClientSecrets.matches(secret, hash)).isTrue();
    assertThat(ClientSecrets.matches(secret + "x", hash)).isFalse();
    assertThat(ClientSecrets.matches(hash, hash)).as("the hash is not the secret").isFalse();
    assertThat(ClientSecrets.matches(null, hash)).isFalse();
    assertThat(ClientSecrets.matches(secret, ClientSecrets.DUMMY_HASH)).isFalse();
  }

  @Test
  void anEmptyOrOverLongSecretNeverMatches() {
    assertThat(ClientSecrets.matches("", ClientSecrets.EMPTY_HASH)).isFalse();
    String longSecret = "x".repeat(ClientSecrets.MAX_PRESENTED_LENGTH + 1);
    assertThat(ClientSecrets.matches(longSecret, ClientSecrets.hash(longSecret))).isFalse();
    String longest = "x".repeat(ClientSecrets.MAX_PRESENTED_LENGTH);
    assertThat(ClientSecrets.matches(longest, ClientSecrets.hash(longest))).isTrue();
  }
}
