package dev.portcullis.oauth.client;

import dev.portcullis.secret.OpaqueTokens;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Client secrets: the ones Portcullis generates have 256 bits from {@code SecureRandom}, base64url
 * ({@link OpaqueTokens#random()}); every secret is stored as its SHA-256 in lower-case hex, as
 * {@code printf %s "$SECRET" | sha256sum} prints it (the form the clients file gives too).
 *
 * <p>A fast hash is enough because these secrets are high-entropy, like API keys: a generated one
 * cannot be guessed, and a secret from the clients file must be at least {@value #MIN_FILE_LENGTH}
 * characters. Presented secrets are compared in constant time, and an unknown client is compared
 * against {@link #DUMMY_HASH}, so the answer takes the same work either way. Stateless,
 * thread-safe.
 */
final class ClientSecrets {

  /** The shortest secret a clients file may name through an environment variable. */
  static final int MIN_FILE_LENGTH = 32;

  /** The longest secret read from a request; longer input is never hashed. */
  static final int MAX_PRESENTED_LENGTH = 1024;

  /** What an unknown client's secret is compared with: the hash of a value no one knows. */
  static final String DUMMY_HASH = OpaqueTokens.sha256(OpaqueTokens.random());

  /** The hash of the empty string, which no clients file may name. */
  static final String EMPTY_HASH = OpaqueTokens.sha256("");

  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

  private ClientSecrets() {}

  /** A new secret: 256 random bits, base64url without padding (43 characters). */
  static String generate() {
    return OpaqueTokens.random();
  }

  /** The stored form of {@code secret}: its SHA-256, lower-case hex. */
  static String hash(String secret) {
    return OpaqueTokens.sha256(secret);
  }

  /** Whether {@code value} is a stored form: 64 lower-case hex digits. */
  static boolean isHash(String value) {
    return value != null && HASH.matcher(value).matches();
  }

  /**
   * Whether {@code presented} hashes to {@code storedHash}, compared in constant time; a missing,
   * empty or over-long secret is hashed all the same (as the empty string) and never matches.
   */
  static boolean matches(String presented, String storedHash) {
    boolean usable =
        presented != null && !presented.isEmpty() && presented.length() <= MAX_PRESENTED_LENGTH;
    byte[] actual = digest(usable ? presented : "");
    byte[] expected = HexFormat.of().parseHex(storedHash);
    return MessageDigest.isEqual(actual, expected) & usable;
  }

  private static byte[] digest(String value) {
    return HexFormat.of().parseHex(hash(value));
  }
}
