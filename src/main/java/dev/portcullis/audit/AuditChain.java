package dev.portcullis.audit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * The hash chain that makes {@code audit_events} tamper-evident: each row's {@code record_hash} is
 * SHA-256 over a canonical serialisation of its fields and the previous row's hash, and ids are
 * consecutive, so editing a row breaks its own hash and deleting one leaves a gap and a dangling
 * {@code previous_hash}.
 *
 * <p>The serialisation is version-tagged and length-prefixed (UTF-8 byte length, then the bytes;
 * {@code ~} for null), so no two different rows serialise alike however their text is chosen. Time
 * is hashed as epoch microseconds, the precision both H2 and PostgreSQL store.
 *
 * <p>What it does not do: anyone who can write the database and knows this algorithm can rewrite
 * every later row and the head consistently. The chain proves that the log was not changed by
 * someone who could not also rewrite the rest of it; off-site copies of the head hash (or an HMAC
 * key outside the database) are the next step.
 *
 * <p>Stateless and thread-safe; {@link Verification} is a single-use walker, not thread-safe.
 */
public final class AuditChain {

  private static final String VERSION = "portcullis-audit-v1";

  private AuditChain() {}

  /**
   * The hashed content of one row.
   *
   * @param requestId the request the event came from ({@code X-Request-Id}); null if none
   * @param previousHash the previous chained row's {@code record_hash}; null for the first
   * @param recordHash the stored hash (null while being sealed)
   */
  public record Link(
      long id,
      Instant occurredAt,
      String type,
      String outcome,
      String reason,
      String subject,
      String actor,
      String clientIp,
      String userAgent,
      String detail,
      String requestId,
      String previousHash,
      String recordHash) {

    /** This link with {@code previousHash} set and its hash computed. */
    public Link sealed(String previous) {
      var unsealed = with(previous, null);
      return unsealed.with(previous, hash(unsealed));
    }

    private Link with(String previous, String hash) {
      return new Link(
          id,
          occurredAt,
          type,
          outcome,
          reason,
          subject,
          actor,
          clientIp,
          userAgent,
          detail,
          requestId,
          previous,
          hash);
    }
  }

  /** Where the chain is broken: the first row that fails a check, and why. */
  public record Break(long id, String reason) {}

  /** SHA-256, lowercase hex, of {@link #canonical(Link)}. */
  public static String hash(Link link) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical(link)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  /** The bytes hashed for {@code link}: every field except {@code recordHash}, in fixed order. */
  static byte[] canonical(Link link) {
    var out = new ByteArrayOutputStream(256);
    field(out, VERSION);
    field(out, Long.toString(link.id()));
    field(out, Long.toString(micros(link.occurredAt())));
    field(out, link.type());
    field(out, link.outcome());
    field(out, link.reason());
    field(out, link.subject());
    field(out, link.actor());
    field(out, link.clientIp());
    field(out, link.userAgent());
    field(out, link.detail());
    field(out, link.previousHash());
    if (link.requestId() != null) {
      // Added in V6; rows written before it have none and hash exactly as they did.
      field(out, link.requestId());
    }
    return out.toByteArray();
  }

  private static void field(ByteArrayOutputStream out, String value) {
    if (value == null) {
      out.writeBytes("~\n".getBytes(StandardCharsets.US_ASCII));
      return;
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.writeBytes((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(bytes);
    out.write('\n');
  }

  static long micros(Instant time) {
    return Math.addExact(
        Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1000);
  }

  /**
   * Checks a chain fed to it in id order, keeping only the last link, so a table of any size is
   * verified page by page in constant memory.
   *
   * <pre>{@code
   * var check = new AuditChain.Verification(head.chainStartId());
   * for (var link : page) { if (check.accept(link).isPresent()) break; }
   * check.finish(head.lastId(), head.lastHash());
   * }</pre>
   */
  public static final class Verification {

    private long expectedId;
    private String expectedPrevious;
    private long checked;
    private Break broken;

    /**
     * @param chainStartId the last row written before the chain began (0 if none)
     */
    public Verification(long chainStartId) {
      this.expectedId = chainStartId + 1;
    }

    /** Checks the next link; the first failure is kept and returned from then on. */
    public Optional<Break> accept(Link link) {
      if (broken != null) {
        return Optional.of(broken);
      }
      if (link.id() != expectedId) {
        broken =
            new Break(
                link.id(),
                link.id() > expectedId
                    ? "sequence gap: "
                        + range(expectedId, link.id() - 1)
                        + " missing (deleted) before this row"
                    : "row out of order: expected id " + expectedId);
      } else if (!Objects.equals(link.previousHash(), expectedPrevious)) {
        broken =
            new Break(
                link.id(),
                expectedPrevious == null
                    ? "previous_hash set on the first chained row"
                    : "previous_hash does not match row " + (link.id() - 1));
      } else if (link.recordHash() == null) {
        broken = new Break(link.id(), "record_hash missing");
      } else if (!hash(link).equals(link.recordHash())) {
        broken = new Break(link.id(), "record_hash does not match the row's contents (edited)");
      } else {
        expectedId++;
        expectedPrevious = link.recordHash();
        checked++;
      }
      return Optional.ofNullable(broken);
    }

    /**
     * Compares the end of the walk with the chain head, which catches rows deleted from the end.
     *
     * @param headLastId the id the head says was appended last
     * @param headLastHash that row's hash according to the head
     */
    public Optional<Break> finish(long headLastId, String headLastHash) {
      if (broken != null) {
        return Optional.of(broken);
      }
      long lastSeen = expectedId - 1;
      if (lastSeen < headLastId) {
        broken =
            new Break(
                expectedId,
                "chain ends early: " + range(expectedId, headLastId) + " missing (deleted)");
      } else if (lastSeen > headLastId || !Objects.equals(expectedPrevious, headLastHash)) {
        broken = new Break(lastSeen, "last row does not match the chain head");
      }
      return Optional.ofNullable(broken);
    }

    /** The first failure found so far. */
    public Optional<Break> broken() {
      return Optional.ofNullable(broken);
    }

    /** How many links passed every check. */
    public long checked() {
      return checked;
    }

    private static String range(long from, long to) {
      return from == to ? "row " + from : "rows " + from + ".." + to;
    }
  }
}
