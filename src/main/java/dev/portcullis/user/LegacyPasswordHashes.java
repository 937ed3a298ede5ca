package dev.portcullis.user;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA224Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Checks and verifies password hashes imported from legacy Jakarta EE realms, so their users can
 * log in once and be upgraded to Argon2id.
 *
 * <ul>
 *   <li><b>PBKDF2</b> in the format of Soteria's {@code Pbkdf2PasswordHashImpl} (the Jakarta
 *       Security {@code Pbkdf2PasswordHash}): {@code PBKDF2WithHmacSHA<bits>:<iterations>:<base64
 *       salt>:<base64 hash>} with SHA-224, -256, -384 or -512. Soteria's own minimums apply (1,024
 *       iterations, 16-byte salt, 16-byte hash); at most 1,024-byte salt and 128-byte hash, and at
 *       most {@value #PBKDF2_MAX_WORK} iterations per output block in all (iterations times the
 *       blocks of the digest's size the hash needs). The password is used as typed (UTF-8, not
 *       normalised), as Soteria did.
 *   <li><b>bcrypt</b> {@code $2a$}, {@code $2b$}, {@code $2y$} with cost 4–{@value
 *       #BCRYPT_MAX_COST}, verified with Bouncy Castle's {@link OpenBSDBCrypt}. bcrypt only ever
 *       reads the first 72 UTF-8 bytes of a password, so the legacy realm accepted any password
 *       sharing those bytes; verification here does the same, and the Argon2id hash written at the
 *       first login covers the whole password.
 * </ul>
 *
 * <p><b>Cost caps.</b> Every login attempt on an account computes its stored hash, so one expensive
 * hash would make each guess at that account cost the server more than a login may. The caps keep a
 * legacy verification of the same order as one Argon2id verification with the default parameters
 * (measured on the 2-core test machine with Bouncy Castle: Argon2id m=19456,t=2,p=1 about 25–30 ms;
 * PBKDF2 about 0.65 µs per iteration and block with SHA-224/256, 0.9 µs with SHA-384/512, so the
 * cap costs 65–95 ms; bcrypt cost 10 about 60 ms, and each further cost step doubles it). An import
 * above a cap is refused ({@link #problemWith}); a hash above a cap that an older version stored is
 * never computed: {@link #verify} is false at once and {@link #exceedsCostCap} tells the login why,
 * so an administrator can reset that password.
 *
 * <p>Comparisons are constant-time. Stateless, thread-safe.
 */
public final class LegacyPasswordHashes {

  static final int PBKDF2_MIN_ITERATIONS = 1_024;

  /** The most PBKDF2 iterations a login may compute, counted over every output block. */
  public static final int PBKDF2_MAX_WORK = 100_000;

  static final int BCRYPT_MIN_COST = 4;

  /** The highest bcrypt cost a login may compute (2^10 rounds of the key schedule). */
  public static final int BCRYPT_MAX_COST = 10;

  private static final int BCRYPT_MAX_FORMAT_COST = 31;
  static final int BCRYPT_MAX_PASSWORD_BYTES = 72;

  private static final Pattern PBKDF2 =
      Pattern.compile(
          "PBKDF2WithHmacSHA(224|256|384|512):([0-9]{1,7}):([A-Za-z0-9+/]+={0,2}):([A-Za-z0-9+/]+={0,2})");
  private static final Pattern BCRYPT =
      Pattern.compile("\\$2[aby]\\$([0-9]{2})\\$[./A-Za-z0-9]{53}");

  private LegacyPasswordHashes() {}

  /**
   * Why {@code hash} cannot be imported, or null if it is a well-formed PBKDF2 or bcrypt hash
   * within the bounds and cost caps above.
   */
  public static String problemWith(String hash) {
    String malformed = formatProblem(hash);
    return malformed != null ? malformed : costProblem(hash);
  }

  /**
   * Whether {@code hash} is a well-formed legacy hash whose cost is above the caps: one an older
   * version imported, which a login must never compute.
   */
  public static boolean exceedsCostCap(String hash) {
    var scheme = PasswordHashScheme.of(hash);
    return (scheme == PasswordHashScheme.PBKDF2 || scheme == PasswordHashScheme.BCRYPT)
        && formatProblem(hash) == null
        && costProblem(hash) != null;
  }

  private static String formatProblem(String hash) {
    if (hash == null || hash.isEmpty()) {
      return "password_hash is required";
    }
    return switch (PasswordHashScheme.of(hash)) {
      case PBKDF2 -> pbkdf2Problem(hash);
      case BCRYPT -> bcryptProblem(hash);
      default ->
          "password_hash must be a Soteria PBKDF2 hash (PBKDF2WithHmacSHA256:2048:<salt>:<hash>)"
              + " or a bcrypt hash ($2a$, $2b$, $2y$)";
    };
  }

  /** Why a well-formed legacy hash costs more than a login may, or null. */
  private static String costProblem(String hash) {
    if (PasswordHashScheme.of(hash) == PasswordHashScheme.PBKDF2) {
      var parsed = Pbkdf2Hash.parse(hash);
      long work = parsed.work();
      return work <= PBKDF2_MAX_WORK
          ? null
          : "PBKDF2 cost too high: iterations times output blocks must be at most "
              + PBKDF2_MAX_WORK
              + " (this hash: "
              + work
              + "), so that one login costs about as much as an Argon2id verification";
    }
    int cost = bcryptCost(hash);
    return cost <= BCRYPT_MAX_COST
        ? null
        : "bcrypt cost too high: at most "
            + BCRYPT_MAX_COST
            + " (this hash: "
            + cost
            + "), so that one login costs about as much as an Argon2id verification";
  }

  /**
   * Whether {@code password} matches the legacy {@code hash}; false, without computing anything, if
   * the hash is malformed or above the cost caps.
   */
  public static boolean verify(String password, String hash) {
    if (problemWith(hash) != null) {
      return false;
    }
    return switch (PasswordHashScheme.of(hash)) {
      case PBKDF2 -> verifyPbkdf2(password, Pbkdf2Hash.parse(hash));
      case BCRYPT -> verifyBcrypt(password, hash);
      default -> false;
    };
  }

  private static String pbkdf2Problem(String hash) {
    if (hash.length() > 2_000 || !PBKDF2.matcher(hash).matches()) {
      return "PBKDF2 hash must be PBKDF2WithHmacSHA{224,256,384,512}:<iterations>:<base64 salt>"
          + ":<base64 hash>";
    }
    Pbkdf2Hash parsed;
    try {
      parsed = Pbkdf2Hash.parse(hash);
    } catch (IllegalArgumentException e) {
      return "PBKDF2 salt and hash must be valid base64";
    }
    if (parsed.iterations() < PBKDF2_MIN_ITERATIONS) {
      return "PBKDF2 iterations must be at least " + PBKDF2_MIN_ITERATIONS;
    }
    if (parsed.salt().length < 16 || parsed.salt().length > 1_024) {
      return "PBKDF2 salt must be 16..1024 bytes";
    }
    if (parsed.hash().length < 16 || parsed.hash().length > 128) {
      return "PBKDF2 hash must be 16..128 bytes";
    }
    return null;
  }

  private static String bcryptProblem(String hash) {
    var m = BCRYPT.matcher(hash);
    if (!m.matches()) {
      return "bcrypt hash must be $2a$|$2b$|$2y$, a two-digit cost, '$' and 53 characters of"
          + " bcrypt base64";
    }
    int cost = Integer.parseInt(m.group(1));
    if (cost < BCRYPT_MIN_COST || cost > BCRYPT_MAX_FORMAT_COST) {
      return "bcrypt cost must be " + BCRYPT_MIN_COST + ".." + BCRYPT_MAX_COST;
    }
    return null;
  }

  private static int bcryptCost(String hash) {
    var m = BCRYPT.matcher(hash);
    return m.matches() ? Integer.parseInt(m.group(1)) : Integer.MAX_VALUE;
  }

  private static boolean verifyPbkdf2(String password, Pbkdf2Hash stored) {
    var generator = new PKCS5S2ParametersGenerator(stored.digest());
    generator.init(password.getBytes(StandardCharsets.UTF_8), stored.salt(), stored.iterations());
    byte[] actual =
        ((KeyParameter) generator.generateDerivedParameters(stored.hash().length * 8)).getKey();
    return MessageDigest.isEqual(stored.hash(), actual);
  }

  private static boolean verifyBcrypt(String password, String hash) {
    byte[] utf8 = password.getBytes(StandardCharsets.UTF_8);
    byte[] read =
        utf8.length > BCRYPT_MAX_PASSWORD_BYTES
            ? Arrays.copyOf(utf8, BCRYPT_MAX_PASSWORD_BYTES)
            : utf8;
    try {
      return OpenBSDBCrypt.checkPassword(hash, read);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** A parsed Soteria PBKDF2 hash. */
  private record Pbkdf2Hash(int bits, int iterations, byte[] salt, byte[] hash) {

    static Pbkdf2Hash parse(String encoded) {
      var m = PBKDF2.matcher(encoded);
      if (!m.matches()) {
        throw new IllegalArgumentException("not a PBKDF2 hash");
      }
      var b64 = Base64.getDecoder();
      return new Pbkdf2Hash(
          Integer.parseInt(m.group(1)),
          Integer.parseInt(m.group(2)),
          b64.decode(m.group(3)),
          b64.decode(m.group(4)));
    }

    /** The iterations a verification computes: one run of them per output block. */
    long work() {
      int blockBytes = digest().getDigestSize();
      return (long) iterations * ((hash.length + blockBytes - 1) / blockBytes);
    }

    Digest digest() {
      return switch (bits) {
        case 224 -> new SHA224Digest();
        case 256 -> new SHA256Digest();
        case 384 -> new SHA384Digest();
        default -> new SHA512Digest();
      };
    }
  }
}
