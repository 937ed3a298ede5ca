package dev.portcullis.apikey;

import dev.portcullis.secret.OpaqueTokens;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * Decides whether a presented API key is valid now: format and checksum first (no look-up for a
 * malformed key), then the stored record, then a constant-time comparison of the secret's SHA-256
 * with the current hash or, during a rotation's grace period, the previous one; then expiry and
 * revocation. Pure and thread-safe: storage and comparison are passed in.
 */
public final class ApiKeyVerifier {

  /** Why a key was refused; kept for the audit event. */
  public enum Refusal {
    MALFORMED,
    UNKNOWN,
    WRONG_SECRET,
    EXPIRED,
    REVOKED
  }

  /**
   * The outcome: a record, or the reason for refusal.
   *
   * @param key the verified key, if valid
   * @param refusal why not, if invalid
   * @param keyId the id named by the key, if it was well-formed
   */
  public record Outcome(ApiKeyRecord key, Refusal refusal, String keyId) {

    public boolean valid() {
      return key != null;
    }
  }

  private final Function<String, Optional<ApiKeyRecord>> lookup;
  private final BiPredicate<byte[], byte[]> constantTimeEquals;

  /**
   * @param lookup finds a key's record by id (usually through a cache)
   * @param constantTimeEquals the comparison of secret hashes; {@code MessageDigest::isEqual}
   */
  public ApiKeyVerifier(
      Function<String, Optional<ApiKeyRecord>> lookup,
      BiPredicate<byte[], byte[]> constantTimeEquals) {
    this.lookup = lookup;
    this.constantTimeEquals = constantTimeEquals;
  }

  public Outcome verify(String presented, Instant now) {
    var parsed = ApiKeyFormat.parse(presented);
    if (parsed.isEmpty()) {
      return new Outcome(null, Refusal.MALFORMED, null);
    }
    String id = parsed.get().id();
    var found = lookup.apply(id);
    if (found.isEmpty()) {
      return new Outcome(null, Refusal.UNKNOWN, id);
    }
    var key = found.get();
    byte[] presentedHash = HexFormat.of().parseHex(hash(parsed.get().secret()));
    boolean current =
        constantTimeEquals.test(presentedHash, HexFormat.of().parseHex(key.secretHash()));
    boolean previous =
        key.previousSecretHash() != null
            && key.previousValidUntil() != null
            && now.isBefore(key.previousValidUntil())
            && constantTimeEquals.test(
                presentedHash, HexFormat.of().parseHex(key.previousSecretHash()));
    if (!current && !previous) {
      return new Outcome(null, Refusal.WRONG_SECRET, id);
    }
    if (key.revokedAt() != null) {
      return new Outcome(null, Refusal.REVOKED, id);
    }
    if (key.expiresAt() != null && !now.isBefore(key.expiresAt())) {
      return new Outcome(null, Refusal.EXPIRED, id);
    }
    return new Outcome(key, null, id);
  }

  /** SHA-256 (hex) of a key's secret part: what is stored. */
  public static String hash(String secret) {
    return OpaqueTokens.sha256(secret);
  }
}
