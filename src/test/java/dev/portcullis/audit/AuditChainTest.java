package dev.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditChainTest {

  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00.123456Z");

  private static AuditChain.Link link(long id, String subject, String userAgent) {
    return new AuditChain.Link(
        id,
        T0.plusSeconds(id),
        "LOGIN",
        "FAILURE",
        "WRONG_PASSWORD",
        subject,
        subject,
        "127.0.0.1",
        userAgent,
        null,
        null,
        null,
        null);
  }

  /** Rows 11..15 sealed in order after a chain start of 10. */
  private static List<AuditChain.Link> chain() {
    var links = new ArrayList<AuditChain.Link>();
    String previous = null;
    for (long id = 11; id <= 15; id++) {
      var sealed = link(id, "user-" + id, "curl/8").sealed(previous);
      links.add(sealed);
      previous = sealed.recordHash();
    }
    return links;
  }

  private static AuditChain.Verification walk(List<AuditChain.Link> links, long headLastId) {
    var check = new AuditChain.Verification(10);
    for (var l : links) {
      if (check.accept(l).isPresent()) {
        return check;
      }
    }
    String headHash =
        links.stream()
            .filter(l -> l.id() == headLastId)
            .findFirst()
            .map(AuditChain.Link::recordHash)
            .orElse("gone");
    check.finish(headLastId, headHash);
    return check;
  }

  @Test
  void hashOfPinnedRowNeverChanges() {
    // pinned (computed independently in Python from the documented serialisation): changing it
    // would make every stored chain unverifiable
    var sealed = link(1, "8d3c5a8e-0000-4000-8000-000000000001", "Mozilla/5.0 ü").sealed(null);
    assertThat(sealed.recordHash())
        .isEqualTo("9b2a953d623f06e11250703a7efc1bc8d37b90e02dfe52b2f392e452000c5aae");
    var next = link(2, "x", null).sealed(sealed.recordHash());
    assertThat(next.previousHash()).isEqualTo(sealed.recordHash());
    assertThat(next.recordHash())
        .isEqualTo(AuditChain.hash(next))
        .hasSize(64)
        .matches("[0-9a-f]{64}");
  }

  @Test
  void serialisationIsUnambiguous() {
    var ab =
        new AuditChain.Link(
            1, T0, "LOGIN", "SUCCESS", "ab", null, null, null, null, null, null, null, null);
    var aThenB =
        new AuditChain.Link(
            1, T0, "LOGIN", "SUCCESS", "a", "b", null, null, null, null, null, null, null);
    var tilde =
        new AuditChain.Link(
            1, T0, "LOGIN", "SUCCESS", "~", null, null, null, null, null, null, null, null);
    var nothing =
        new AuditChain.Link(
            1, T0, "LOGIN", "SUCCESS", null, null, null, null, null, null, null, null, null);
    var empty =
        new AuditChain.Link(
            1, T0, "LOGIN", "SUCCESS", "", null, null, null, null, null, null, null, null);
    assertThat(
            List.of(
                AuditChain.hash(ab),
                AuditChain.hash(aThenB),
                AuditChain.hash(tilde),
                AuditChain.hash(nothing),
                AuditChain.hash(empty)))
        .doesNotHaveDuplicates();
  }

  @Test
  void hashCoversTimeToTheMicrosecondAndThePreviousHash() {
    var base = link(1, "u", null);
    var later =
        new AuditChain.Link(
            1,
            T0.plusSeconds(1).plusNanos(1000),
            "LOGIN",
            "FAILURE",
            "WRONG_PASSWORD",
            "u",
            "u",
            "127.0.0.1",
            null,
            null,
            null,
            null,
            null);
    var sameMicro =
        new AuditChain.Link(
            1,
            T0.plusSeconds(1).plusNanos(999),
            "LOGIN",
            "FAILURE",
            "WRONG_PASSWORD",
            "u",
            "u",
            "127.0.0.1",
            null,
            null,
            null,
            null,
            null);
    assertThat(AuditChain.hash(later)).isNotEqualTo(AuditChain.hash(base));
    assertThat(AuditChain.hash(sameMicro)).isEqualTo(AuditChain.hash(base));
    assertThat(base.sealed("a".repeat(64)).recordHash())
        .isNotEqualTo(base.sealed(null).recordHash());
  }

  @Test
  void intactChainVerifies() {
    var check = walk(chain(), 15);
    assertThat(check.broken()).isEmpty();
    assertThat(check.checked()).isEqualTo(5);
  }

  @Test
  void emptyChainVerifies() {
    var check = new AuditChain.Verification(10);
    assertThat(check.finish(10, null)).isEmpty();
    assertThat(check.checked()).isZero();
  }

  @Test
  void editedRowIsTheFirstBrokenOne() {
    var links = chain();
    var row = links.get(2);
    links.set(
        2,
        new AuditChain.Link(
            row.id(),
            row.occurredAt(),
            row.type(),
            "SUCCESS",
            row.reason(),
            row.subject(),
            row.actor(),
            row.clientIp(),
            row.userAgent(),
            row.detail(),
            row.requestId(),
            row.previousHash(),
            row.recordHash()));
    var check = walk(links, 15);
    assertThat(check.broken())
        .hasValueSatisfying(
            b -> {
              assertThat(b.id()).isEqualTo(13);
              assertThat(b.reason()).contains("edited");
            });
    assertThat(check.checked()).isEqualTo(2);
  }

  @Test
  void rehashedEditIsCaughtAtTheNextRow() {
    var links = chain();
    var row = links.get(2);
    var forged =
        new AuditChain.Link(
                row.id(),
                row.occurredAt(),
                row.type(),
                "SUCCESS",
                null,
                row.subject(),
                row.actor(),
                row.clientIp(),
                row.userAgent(),
                row.detail(),
                row.requestId(),
                null,
                null)
            .sealed(row.previousHash());
    links.set(2, forged);
    assertThat(walk(links, 15).broken())
        .hasValueSatisfying(
            b -> {
              assertThat(b.id()).isEqualTo(14);
              assertThat(b.reason()).contains("previous_hash");
            });
  }

  @Test
  void deletedRowBreaksTheChainAtTheNextRow() {
    var links = chain();
    links.remove(1);
    assertThat(walk(links, 15).broken())
        .hasValueSatisfying(
            b -> {
              assertThat(b.id()).isEqualTo(13);
              assertThat(b.reason()).contains("row 12 missing");
            });
  }

  @Test
  void deletedFirstRowIsDetected() {
    var links = chain();
    links.remove(0);
    assertThat(walk(links, 15).broken()).hasValueSatisfying(b -> assertThat(b.id()).isEqualTo(12));
  }

  @Test
  void rowsDeletedFromTheEndAreCaughtByTheHead() {
    var links = chain();
    links.remove(4);
    links.remove(3);
    assertThat(walk(links, 15).broken())
        .hasValueSatisfying(
            b -> {
              assertThat(b.id()).isEqualTo(14);
              assertThat(b.reason()).contains("rows 14..15 missing");
            });
  }

  @Test
  void missingHashIsBroken() {
    var links = chain();
    var row = links.get(0);
    links.set(
        0,
        new AuditChain.Link(
            row.id(),
            row.occurredAt(),
            row.type(),
            row.outcome(),
            row.reason(),
            row.subject(),
            row.actor(),
            row.clientIp(),
            row.userAgent(),
            row.detail(),
            row.requestId(),
            null,
            null));
    assertThat(walk(links, 15).broken()).hasValueSatisfying(b -> assertThat(b.id()).isEqualTo(11));
  }

  @Test
  void storedTextIsClippedWithoutSplittingSurrogatesAndWithoutNul() {
    assertThat(AuditEvent.storable("ab\u0000c", 10)).isEqualTo("ab\uFFFDc");
    assertThat(AuditEvent.storable("abc\uD83D\uDE00", 4)).isEqualTo("abc");
    assertThat(AuditEvent.storable("abcdef", 4)).isEqualTo("abcd");
    assertThat(AuditEvent.storable(null, 4)).isNull();
  }

  @Test
  void theRequestIdIsHashedWhenPresentAndOldRowsHashAsBefore() {
    var without = link(1, "u", "ua");
    var with =
        new AuditChain.Link(
            without.id(),
            without.occurredAt(),
            without.type(),
            without.outcome(),
            without.reason(),
            without.subject(),
            without.actor(),
            without.clientIp(),
            without.userAgent(),
            without.detail(),
            "req-1",
            null,
            null);
    var other =
        new AuditChain.Link(
            without.id(),
            without.occurredAt(),
            without.type(),
            without.outcome(),
            without.reason(),
            without.subject(),
            without.actor(),
            without.clientIp(),
            without.userAgent(),
            without.detail(),
            "req-2",
            null,
            null);
    assertThat(AuditChain.hash(with))
        .isNotEqualTo(AuditChain.hash(without))
        .isNotEqualTo(AuditChain.hash(other));
    assertThat(new String(AuditChain.canonical(without), java.nio.charset.StandardCharsets.UTF_8))
        .doesNotContain("req-");
  }
}
