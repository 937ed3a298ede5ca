package dev.portcullis.user;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.config.Settings.Argon2Settings;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LegacyPasswordHashesTest {

  /**
   * bcrypt vectors from an independent implementation: the first two are jBCrypt's published test
   * vectors, the others were made with glibc/libxcrypt's crypt(3).
   */
  private static final String[][] BCRYPT_VECTORS = {
    {"abc", "$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i"},
    {"a", "$2a$06$m0CrhHm10qJ3lXRY.5zDGO3rS2KdeeWLuGmsfGlMfOxih58VYVfxe"},
    {"Legacy-Bcrypt-2y", "$2y$05$abcdefghijklmnopqrstuuzIt3TI/RLZqqX5SeQ/sieqZ/oic.MPC"},
    {"Ünïcödé-Pässwörd", "$2b$05$abcdefghijklmnopqrstuuZY78EMiWsCCLKaPo3jTiFRh.RHZOyoy"},
  };

  private static final String X72_BCRYPT =
      "$2b$04$abcdefghijklmnopqrstuubzadhGtS2zEF.gu0yd0opP6cVzb.e0i"; // "x" * 72

  private final SecureRandom random = new SecureRandom();

  /** What Soteria's Pbkdf2PasswordHashImpl.generate produces, made with the JDK's own PBKDF2. */
  private String soteria(String algorithm, int iterations, int saltBytes, int keyBytes, String pw)
      throws Exception {
    var salt = new byte[saltBytes];
    random.nextBytes(salt);
    byte[] hash =
        SecretKeyFactory.getInstance(algorithm)
            .generateSecret(new PBEKeySpec(pw.toCharArray(), salt, iterations, keyBytes * 8))
            .getEncoded();
    var b64 = Base64.getEncoder();
    return algorithm
        + ":"
        + iterations
        + ":"
        + b64.encodeToString(salt)
        + ":"
        + b64.encodeToString(hash);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "PBKDF2WithHmacSHA224",
        "PBKDF2WithHmacSHA256",
        "PBKDF2WithHmacSHA384",
        "PBKDF2WithHmacSHA512"
      })
  void verifiesSoteriaPbkdf2Hashes(String algorithm) throws Exception {
    String hash = soteria(algorithm, 2048, 32, 32, "Legacy-Pbkdf2-Pass");
    assertThat(LegacyPasswordHashes.problemWith(hash)).isNull();
    assertThat(LegacyPasswordHashes.verify("Legacy-Pbkdf2-Pass", hash)).isTrue();
    assertThat(LegacyPasswordHashes.verify("Legacy-Pbkdf2-Pasz", hash)).isFalse();
    assertThat(LegacyPasswordHashes.verify("", hash)).isFalse();
  }

  @Test
  void verifiesPbkdf2WithOtherSizesAndMultiBlockKeys() throws Exception {
    String hash = soteria("PBKDF2WithHmacSHA256", 1024, 16, 64, "two blocks of key");
    assertThat(LegacyPasswordHashes.verify("two blocks of key", hash)).isTrue();
    assertThat(LegacyPasswordHashes.verify("two blocks of kez", hash)).isFalse();
  }

  @Test
  void usesThePbkdf2PasswordAsTypedLikeSoteria() throws Exception {
    String composed = "caf\u00e9-Legacy-Pass";
    String hash = soteria("PBKDF2WithHmacSHA256", 2048, 32, 32, composed);
    assertThat(LegacyPasswordHashes.verify(composed, hash)).isTrue();
    assertThat(LegacyPasswordHashes.verify("cafe\u0301-Legacy-Pass", hash)).isFalse();
  }

  @Test
  void verifiesPublishedAndIndependentBcryptVectors() {
    for (String[] vector : BCRYPT_VECTORS) {
      assertThat(LegacyPasswordHashes.problemWith(vector[1])).as(vector[1]).isNull();
      assertThat(LegacyPasswordHashes.verify(vector[0], vector[1])).as(vector[0]).isTrue();
      assertThat(LegacyPasswordHashes.verify(vector[0] + "!", vector[1])).isFalse();
    }
  }

  @Test
  void verifiesTheSameBcryptHashUnderEveryAcceptedPrefix() {
    String body = BCRYPT_VECTORS[2][1].substring(3);
    for (String prefix : new String[] {"$2a", "$2b", "$2y"}) {
      assertThat(LegacyPasswordHashes.verify("Legacy-Bcrypt-2y", prefix + body)).isTrue();
    }
  }

  @Test
  void bcryptReadsOnlyTheFirst72BytesAsTheLegacyRealmDid() {
    assertThat(LegacyPasswordHashes.verify("x".repeat(72), X72_BCRYPT)).isTrue();
    assertThat(LegacyPasswordHashes.verify("x".repeat(72) + "anything", X72_BCRYPT)).isTrue();
    assertThat(LegacyPasswordHashes.verify("x".repeat(71), X72_BCRYPT)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "plain",
        "$2x$05$abcdefghijklmnopqrstuuzIt3TI/RLZqqX5SeQ/sieqZ/oic.MPC", // $2x$ not accepted
        "$2b$5$abcdefghijklmnopqrstuuzIt3TI/RLZqqX5SeQ/sieqZ/oic.MPC",
        "$2b$03$abcdefghijklmnopqrstuuzIt3TI/RLZqqX5SeQ/sieqZ/oic.MPC", // cost too low
        "$2b$15$abcdefghijklmnopqrstuuzIt3TI/RLZqqX5SeQ/sieqZ/oic.MPC", // cost too high
        "$2b$05$abcdefghijklmnopqrstuuzIt3TI/RLZqqX5SeQ/sieqZ/oic.MP", // short
        "$2b$05$abcdefghijklmnopqrstuuzIt3TI/RLZqqX5SeQ/sieqZ/oic.MP+", // not bcrypt base64
        "PBKDF2WithHmacSHA1:2048:c2FsdHNhbHRzYWx0c2FsdA==:aGFzaGhhc2hoYXNoaGFzaA==",
        "PBKDF2WithHmacSHA256:2048:c2FsdHNhbHRzYWx0c2FsdA==",
        "PBKDF2WithHmacSHA256:1023:c2FsdHNhbHRzYWx0c2FsdA==:aGFzaGhhc2hoYXNoaGFzaA==",
        "PBKDF2WithHmacSHA256:1000001:c2FsdHNhbHRzYWx0c2FsdA==:aGFzaGhhc2hoYXNoaGFzaA==",
        "PBKDF2WithHmacSHA256:2048:c2FsdA==:aGFzaGhhc2hoYXNoaGFzaA==", // 4-byte salt
        "PBKDF2WithHmacSHA256:2048:c2FsdHNhbHRzYWx0c2FsdA==:aGFzaA==", // 4-byte hash
        "PBKDF2WithHmacSHA256:2048:c2FsdHNhbHRzYWx0c2FsdA=:aGFzaGhhc2hoYXNoaGFzaA==", // bad b64
        "PBKDF2WithHmacSHA256:2048:c2FsdHNhbHRzYWx0c2FsdA==:aGFzaGhhc2hoYXNoaGFzaA==:x",
        "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA"
      })
  void refusesMalformedOrUnboundedHashes(String hash) {
    assertThat(LegacyPasswordHashes.problemWith(hash)).isNotBlank();
    assertThat(LegacyPasswordHashes.verify("anything", hash)).isFalse();
  }

  @Test
  void capsPbkdf2AtTheIterationsOfAllItsOutputBlocks() throws Exception {
    String atCap = soteria("PBKDF2WithHmacSHA256", 100_000, 32, 32, "Capped-Pbkdf2-Pass");
    assertThat(LegacyPasswordHashes.problemWith(atCap)).isNull();
    assertThat(LegacyPasswordHashes.exceedsCostCap(atCap)).isFalse();
    assertThat(LegacyPasswordHashes.verify("Capped-Pbkdf2-Pass", atCap)).isTrue();

    String overCap = soteria("PBKDF2WithHmacSHA256", 100_001, 16, 32, "Over-Cap-Pass");
    assertThat(LegacyPasswordHashes.problemWith(overCap))
        .contains("PBKDF2 cost too high")
        .contains("100000")
        .contains("100001");
    assertThat(LegacyPasswordHashes.exceedsCostCap(overCap)).isTrue();

    // Soteria's default 32-byte key is two SHA-224 blocks: each costs the iterations again
    String twoBlocks = soteria("PBKDF2WithHmacSHA224", 50_001, 16, 32, "Two-Blocks-Pass");
    assertThat(LegacyPasswordHashes.problemWith(twoBlocks)).contains("this hash: 100002");
    assertThat(
            LegacyPasswordHashes.problemWith(
                soteria("PBKDF2WithHmacSHA224", 50_000, 16, 32, "Two-Blocks-Pass")))
        .isNull();
  }

  @Test
  void capsBcryptAtCostTen() {
    String cost10 = OpenBSDBCrypt.generate("2b", "Capped-Bcrypt".toCharArray(), new byte[16], 10);
    assertThat(LegacyPasswordHashes.problemWith(cost10)).isNull();
    assertThat(LegacyPasswordHashes.verify("Capped-Bcrypt", cost10)).isTrue();
    String cost11 = "$2b$11" + cost10.substring(6);
    assertThat(LegacyPasswordHashes.problemWith(cost11))
        .isEqualTo(
            "bcrypt cost too high: at most 10 (this hash: 11), so that one login costs about as"
                + " much as an Argon2id verification");
    assertThat(LegacyPasswordHashes.exceedsCostCap(cost11)).isTrue();
    assertThat(LegacyPasswordHashes.exceedsCostCap("$2b$31" + cost10.substring(6))).isTrue();
  }

  @Test
  void neverComputesAStoredHashAboveTheCaps() throws Exception {
    // what an older version accepted: a million iterations, about 0.7-0.9 s to compute here
    String expensive = soteria("PBKDF2WithHmacSHA512", 1_000_000, 16, 64, "Expensive-Pass");
    long start = System.nanoTime();
    boolean verified = LegacyPasswordHashes.verify("Expensive-Pass", expensive);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(verified).as("the right password, never computed").isFalse();
    assertThat(millis).isLessThan(100);
    assertThat(LegacyPasswordHashes.exceedsCostCap(expensive)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "plain",
        "$2b$03$abcdefghijklmnopqrstuuzIt3TI/RLZqqX5SeQ/sieqZ/oic.MPC",
        "$2b$32$abcdefghijklmnopqrstuuzIt3TI/RLZqqX5SeQ/sieqZ/oic.MPC",
        "PBKDF2WithHmacSHA256:1023:c2FsdHNhbHRzYWx0c2FsdA==:aGFzaGhhc2hoYXNoaGFzaA==",
        "$2b$05$abcdefghijklmnopqrstuuzIt3TI/RLZqqX5SeQ/sieqZ/oic.MPC"
      })
  void onlyWellFormedHashesAboveACapExceedIt(String hash) {
    assertThat(LegacyPasswordHashes.exceedsCostCap(hash)).isFalse();
  }

  @Test
  void namesTheSchemeOfAStoredHash() {
    assertThat(PasswordHashScheme.of(BCRYPT_VECTORS[0][1])).isEqualTo(PasswordHashScheme.BCRYPT);
    assertThat(PasswordHashScheme.of("PBKDF2WithHmacSHA512:2048:a:b"))
        .isEqualTo(PasswordHashScheme.PBKDF2);
    assertThat(PasswordHashScheme.of("$argon2id$v=19$...")).isEqualTo(PasswordHashScheme.ARGON2ID);
    assertThat(PasswordHashScheme.of(null).label()).isEqualTo("none");
    assertThat(PasswordHashScheme.of("{SSHA}abc")).isEqualTo(PasswordHashScheme.NONE);
  }

  @Test
  void passwordHashingVerifiesLegacyHashesAndAsksForTheirUpgrade() throws Exception {
    var hashing = new PasswordHashing(new Argon2Settings(1024, 1, 1));
    String pbkdf2 = soteria("PBKDF2WithHmacSHA512", 2048, 32, 64, "Upgrade-Me-Pbkdf2");
    assertThat(hashing.verify("Upgrade-Me-Pbkdf2", pbkdf2)).isTrue();
    assertThat(hashing.verify("Upgrade-Me-Pbkdf3", pbkdf2)).isFalse();
    assertThat(hashing.needsRehash(pbkdf2)).isTrue();
    assertThat(hashing.verify("Legacy-Bcrypt-2y", BCRYPT_VECTORS[2][1])).isTrue();
    assertThat(hashing.needsRehash(BCRYPT_VECTORS[2][1])).isTrue();
    String upgraded = hashing.hash("Upgrade-Me-Pbkdf2");
    assertThat(hashing.needsRehash(upgraded)).isFalse();
    assertThat(upgraded).startsWith("$argon2id$");
  }
}
