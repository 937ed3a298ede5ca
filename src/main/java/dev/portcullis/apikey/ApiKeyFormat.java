package dev.portcullis.apikey;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The API key format {@code ptc_<id>_<secret><checksum>} (SPEC 3.3).
 *
 * <ul>
 *   <li>{@code <id>}: 16 characters {@code [a-z2-7]} (80 random bits), the row's primary key;
 *       public.
 *   <li>{@code <secret>}: 43 base62 characters carrying 256 bits from {@link SecureRandom}.
 *   <li>{@code <checksum>}: 6 base62 characters, the CRC-32 of everything before it, so a mistyped
 *       or truncated key is rejected without a database look-up and secret scanners can recognise a
 *       leaked key with the pattern {@link #PATTERN} and verify the checksum.
 * </ul>
 *
 * Thread-safe.
 */
public final class ApiKeyFormat {

  /** What a Portcullis API key looks like; documented in the README for secret scanners. */
  public static final Pattern PATTERN = Pattern.compile("ptc_([a-z2-7]{16})_([0-9A-Za-z]{49})");

  static final int SECRET_LENGTH = 43;
  private static final int CHECKSUM_LENGTH = 6;
  private static final String BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
  private static final String BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final BigInteger SIXTY_TWO = BigInteger.valueOf(62);
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeyFormat() {}

  /**
   * A key split into its parts.
   *
   * @param id the key id
   * @param secret the secret part (without the checksum)
   */
  public record ParsedKey(String id, String secret) {

    @Override
    public String toString() {
      return "ParsedKey[id=" + id + ", secret=redacted]";
    }
  }

  /**
   * A freshly generated key.
   *
   * @param id the key id
   * @param secret the secret part, to be hashed
   * @param value the full key, shown to its owner once
   */
  public record GeneratedKey(String id, String secret, String value) {

    @Override
    public String toString() {
      return "GeneratedKey[id=" + id + ", redacted]";
    }
  }

  /** A new key with a new id. */
  public static GeneratedKey generate() {
    var idBytes = new byte[10];
    RANDOM.nextBytes(idBytes);
    return withId(base32(idBytes));
  }

  /** A new secret for an existing key id (rotation). */
  public static GeneratedKey withId(String id) {
    var secretBytes = new byte[32];
    RANDOM.nextBytes(secretBytes);
    String secret = base62(secretBytes, SECRET_LENGTH);
    String body = "ptc_" + id + "_" + secret;
    return new GeneratedKey(id, secret, body + checksum(body));
  }

  /** The parts of {@code value}, or empty if it is not a well-formed key with a valid checksum. */
  public static Optional<ParsedKey> parse(String value) {
    if (value == null || value.length() != 4 + 16 + 1 + SECRET_LENGTH + CHECKSUM_LENGTH) {
      return Optional.empty();
    }
    var m = PATTERN.matcher(value);
    if (!m.matches()) {
      return Optional.empty();
    }
    String body = value.substring(0, value.length() - CHECKSUM_LENGTH);
    String checksum = value.substring(value.length() - CHECKSUM_LENGTH);
    if (!checksum(body).equals(checksum)) {
      return Optional.empty();
    }
    return Optional.of(new ParsedKey(m.group(1), m.group(2).substring(0, SECRET_LENGTH)));
  }

  /** Whether {@code id} has the shape of a key id (for path parameters). */
  public static boolean isKeyId(String id) {
    return id != null && id.matches("[a-z2-7]{16}");
  }

  static String checksum(String body) {
    var crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.US_ASCII));
    return base62(BigInteger.valueOf(crc.getValue()).toByteArray(), CHECKSUM_LENGTH);
  }

  private static String base62(byte[] bytes, int length) {
    var value = new BigInteger(1, bytes);
    var out = new StringBuilder();
    while (value.signum() > 0) {
      var division = value.divideAndRemainder(SIXTY_TWO);
      out.append(BASE62.charAt(division[1].intValue()));
      value = division[0];
    }
    while (out.length() < length) {
      out.append('0');
    }
    return out.reverse().toString();
  }

  private static String base32(byte[] bytes) {
    var out = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte b : bytes) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(BASE32.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    return out.toString();
  }
}
