package dev.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.web.ClientInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RefusalWindowsTest {

  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
  private static final Duration MINUTE = Duration.ofMinutes(1);

  private static AuditRecord garbageToken(String ip, String agent) {
    return AuditRecord.failure(
        AuditEventType.ACCESS_TOKEN_REFUSED, "MALFORMED", null, new ClientInfo(ip, agent, "r"));
  }

  @Test
  void theFirstOfAKindIsWrittenAndTheRestCountedUntilTheWindowEnds() {
    var windows = new RefusalWindows(MINUTE, 100);
    assertThat(windows.offer(garbageToken("192.0.2.1", "a"), T0).write()).isTrue();
    for (int i = 1; i <= 500; i++) {
      var offer = windows.offer(garbageToken("192.0.2.1", "agent-" + i), T0.plusMillis(i * 100L));
      assertThat(offer.write()).as("repeat %d", i).isFalse();
      assertThat(offer.ended()).isEmpty();
    }
    assertThat(windows.ended(T0.plusSeconds(59))).as("the window is still open").isEmpty();

    var ended = windows.ended(T0.plus(MINUTE));
    assertThat(ended).hasSize(1);
    var aggregate = ended.get(0);
    assertThat(aggregate.repeated()).isEqualTo(500);
    var record = aggregate.record();
    assertThat(record.type()).isEqualTo(AuditEventType.ACCESS_TOKEN_REFUSED);
    assertThat(record.reason()).isEqualTo("MALFORMED");
    assertThat(record.client().ip()).isEqualTo("192.0.2.1");
    assertThat(record.client().userAgent()).as("varies within the kind").isNull();
    assertThat(record.detail())
        .isEqualTo("repeated=500 since=2026-01-01T10:00:00Z until=2026-01-01T10:01:00Z");
    assertThat(windows.openWindows()).isZero();

    assertThat(windows.offer(garbageToken("192.0.2.1", "a"), T0.plus(MINUTE)).write())
        .as("a new window starts with a written event")
        .isTrue();
  }

  @Test
  void aLoneRefusalLeavesNoAggregate() {
    var windows = new RefusalWindows(MINUTE, 100);
    windows.offer(garbageToken("192.0.2.1", "a"), T0);
    assertThat(windows.ended(T0.plus(MINUTE))).isEmpty();
    assertThat(windows.openWindows()).isZero();
  }

  @Test
  void sourcesReasonsAndDetailsAreKindsOfTheirOwn() {
    var windows = new RefusalWindows(MINUTE, 100);
    assertThat(windows.offer(garbageToken("192.0.2.1", "a"), T0).write()).isTrue();
    assertThat(windows.offer(garbageToken("192.0.2.2", "a"), T0).write()).isTrue();
    var revoked =
        AuditRecord.failure(
            AuditEventType.ACCESS_TOKEN_REFUSED,
            "REVOKED_SID",
            "u1",
            new ClientInfo("192.0.2.1", "a"));
    assertThat(windows.offer(revoked.withDetail("sid=s1"), T0).write()).isTrue();
    assertThat(windows.offer(revoked.withDetail("sid=s2"), T0).write())
        .as("every revoked sid is a signal of its own")
        .isTrue();
    assertThat(windows.offer(revoked.withDetail("sid=s1"), T0.plusSeconds(1)).write()).isFalse();
  }

  @Test
  void aRefusalAfterTheWindowHandsBackTheEndedAggregate() {
    var windows = new RefusalWindows(MINUTE, 100);
    windows.offer(garbageToken("192.0.2.1", "a"), T0);
    windows.offer(garbageToken("192.0.2.1", "a"), T0.plusSeconds(10));
    windows.offer(garbageToken("192.0.2.1", "a"), T0.plusSeconds(20));
    var offer = windows.offer(garbageToken("192.0.2.1", "a"), T0.plusSeconds(61));
    assertThat(offer.write()).isTrue();
    assertThat(offer.ended()).get().extracting(RefusalWindows.Aggregate::repeated).isEqualTo(2L);
    assertThat(windows.ended(T0.plusSeconds(200))).as("handed back once only").isEmpty();
  }

  @Test
  void manySourcesShareOneOverflowKind() {
    var windows = new RefusalWindows(MINUTE, 3);
    for (int i = 1; i <= 3; i++) {
      assertThat(windows.offer(garbageToken("192.0.2." + i, "a"), T0).write()).isTrue();
    }
    assertThat(windows.offer(garbageToken("198.51.100.1", "a"), T0).write())
        .as("the first overflow is written")
        .isTrue();
    for (int i = 2; i <= 1000; i++) {
      assertThat(windows.offer(garbageToken("198.51.100." + (i % 250), "a"), T0).write()).isFalse();
    }
    assertThat(windows.openWindows()).isEqualTo(4);
    var overflow =
        windows.ended(T0.plus(MINUTE)).stream()
            .filter(a -> RefusalWindows.OVERFLOW.equals(a.kind().detail()))
            .findFirst()
            .orElseThrow();
    assertThat(overflow.repeated()).isEqualTo(999);
    assertThat(overflow.record().client()).isNull();
    assertThat(overflow.record().detail()).startsWith("sources=many repeated=999 ");
  }

  @Test
  void closingCountsWhatIsStillOpen() {
    var windows = new RefusalWindows(MINUTE, 100);
    windows.offer(garbageToken("192.0.2.1", "a"), T0);
    windows.offer(garbageToken("192.0.2.1", "a"), T0.plusSeconds(5));
    var closed = windows.closeAll(T0.plusSeconds(10));
    assertThat(closed).hasSize(1);
    assertThat(closed.get(0).until()).isEqualTo(T0.plusSeconds(10));
    assertThat(windows.openWindows()).isZero();
  }

  @Test
  void concurrentRefusalsAreEachWrittenOrCountedExactlyOnce() throws Exception {
    var windows = new RefusalWindows(MINUTE, 100);
    var written = new AtomicInteger();
    var pool = Executors.newFixedThreadPool(8);
    var tasks = new ArrayList<Future<?>>();
    for (int t = 0; t < 8; t++) {
      tasks.add(
          pool.submit(
              () -> {
                for (int i = 0; i < 1000; i++) {
                  if (windows.offer(garbageToken("192.0.2.9", "a"), T0).write()) {
                    written.incrementAndGet();
                  }
                }
              }));
    }
    for (var task : tasks) {
      task.get();
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    List<RefusalWindows.Aggregate> ended = windows.ended(T0.plus(MINUTE));
    assertThat(written.get()).isEqualTo(1);
    assertThat(ended.get(0).repeated()).isEqualTo(7999);
  }
}
