package dev.portcullis.user;

import dev.portcullis.config.Settings;
import dev.portcullis.config.Settings.Argon2Settings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Base64;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Argon2id password hashing with Bouncy Castle, stored in the PHC string format ({@code
 * $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}).
 *
 * <p>Passwords are NFKC-normalised before hashing, so the same password typed on different
 * keyboards verifies. A hash made with other parameters than the configured ones still verifies and
 * {@link #needsRehash} says so, so it can be upgraded at the next successful login. {@link #burn}
 * spends the same time as a verification for callers that have no user (no timing oracle).
 *
 * <p>Every Argon2id, PBKDF2 or bcrypt computation passes the node's {@link HashingGate}: at most as
 * many at once as there are cores, the rest wait briefly or get 503. Thread-safe.
 */
@ApplicationScoped
public class PasswordHashing {

  private static final Pattern PHC =
      Pattern.compile(
          "\\$argon2id\\$v=19\\$m=(\\d{1,8}),t=(\\d{1,3}),p=(\\d{1,3})\\$([A-Za-z0-9+/]{11,86})\\$([A-Za-z0-9+/]{22,86})");
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getDecoder();
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;

  private final SecureRandom random = new SecureRandom();
  private Argon2Settings parameters;
  private HashingGate gate;
  private String dummyHash;

  protected PasswordHashing() {}

  @Inject
  public PasswordHashing(Settings settings) {
    this(settings.argon2(), new HashingGate(HashingSettings.read(ConfigProvider.getConfig())));
  }

  /** Hashing without a concurrency limit (unit tests, benchmarks). */
  public PasswordHashing(Argon2Settings parameters) {
    this(parameters, HashingGate.unlimited());
  }

  public PasswordHashing(Argon2Settings parameters, HashingGate gate) {
    this.parameters = parameters;
    this.gate = gate;
    var randomPassword = new byte[24];
    random.nextBytes(randomPassword);
    this.dummyHash = hash(B64.encodeToString(randomPassword));
  }

  /** A new PHC-format Argon2id hash of {@code password} with a fresh random salt. */
  public String hash(String password) {
    var salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] hash = gate.run(() -> argon2(password, salt, parameters, HASH_BYTES));
    return "$argon2id$v=19$m="
        + parameters.memoryKib()
        + ",t="
        + parameters.iterations()
        + ",p="
        + parameters.parallelism()
        + "$"
        + B64.encodeToString(salt)
        + "$"
        + B64.encodeToString(hash);
  }

  /**
   * Whether {@code password} matches {@code phc}; false for a malformed or foreign hash.
   *
   * <p>Legacy PBKDF2 and bcrypt hashes ({@link LegacyPasswordHashes}) verify too, and {@link
   * #needsRehash} is true for them. A wrong password against one also pays for one Argon2id
   * verification, as a right one pays for the Argon2id hash that replaces it: which of the two it
   * was does not show in the time taken. Until the first login such an account still answers slower
   * than an unknown one by the cost of its legacy hash.
   */
  public boolean verify(String password, String phc) {
    var scheme = PasswordHashScheme.of(phc);
    if (scheme == PasswordHashScheme.PBKDF2 || scheme == PasswordHashScheme.BCRYPT) {
      boolean matches = gate.run(() -> LegacyPasswordHashes.verify(password, phc));
      if (!matches) {
        burn(password);
      }
      return matches;
    }
    var m = phc == null ? null : PHC.matcher(phc);
    if (m == null || !m.matches()) {
      burn(password);
      return false;
    }
    var stored =
        new Argon2Settings(
            Integer.parseInt(m.group(1)),
            Integer.parseInt(m.group(2)),
            Integer.parseInt(m.group(3)));
    byte[] expected = B64D.decode(m.group(5));
    byte[] salt = B64D.decode(m.group(4));
    byte[] actual = gate.run(() -> argon2(password, salt, stored, expected.length));
    return MessageDigest.isEqual(expected, actual);
  }

  /** 503 at once when hashing is so busy that this request could not be served in time. */
  public void admit() {
    gate.admit();
  }

  /** Spends one verification's time and answers nothing: for unknown users. */
  public void burn(String password) {
    verify(password, dummyHash);
  }

  /**
   * Whether {@code phc} was made with other parameters than the configured ones, or is not an
   * Argon2id hash at all (an imported legacy hash).
   */
  public boolean needsRehash(String phc) {
    var m = phc == null ? null : PHC.matcher(phc);
    return m == null
        || !m.matches()
        || Integer.parseInt(m.group(1)) != parameters.memoryKib()
        || Integer.parseInt(m.group(2)) != parameters.iterations()
        || Integer.parseInt(m.group(3)) != parameters.parallelism();
  }

  private static byte[] argon2(String password, byte[] salt, Argon2Settings p, int length) {
    var params =
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withSalt(salt)
            .withMemoryAsKB(p.memoryKib())
            .withIterations(p.iterations())
            .withParallelism(p.parallelism())
            .build();
    var generator = new Argon2BytesGenerator();
    generator.init(params);
    var out = new byte[length];
    generator.generateBytes(
        Normalizer.normalize(password, Normalizer.Form.NFKC).getBytes(StandardCharsets.UTF_8), out);
    return out;
  }
}
