package dev.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.portcullis.problem.ProblemException;
import dev.portcullis.testing.MovableClock;
import dev.portcullis.web.ClientInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RefusalsTest {

  private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T10:00:00Z"));

  /** An audit log that keeps what it is given, or fails like an unreachable database. */
  private static final class FakeAuditLog extends AuditLog {
    final List<AuditRecord> written = new ArrayList<>();
    boolean down;

    @Override
    public void record(AuditRecord record) {
      if (down) {
        throw ProblemException.unavailable();
      }
      written.add(record);
    }
  }

  private Refusals refusals(FakeAuditLog log) {
    var refusals = new Refusals();
    refusals.audit = log;
    refusals.clock = clock;
    refusals.windows = new RefusalWindows(Duration.ofMinutes(1), Refusals.MAX_KINDS);
    return refusals;
  }

  private static final ClientInfo CLIENT = new ClientInfo("203.0.113.5", "curl/8", "req-1");

  @Test
  void writesTheFirstAndTheCountOfTheRest() {
    var log = new FakeAuditLog();
    var refusals = refusals(log);
    for (int i = 0; i < 10; i++) {
      refusals.rateLimited(CLIENT, "API", "AuthResource.login");
    }
    assertThat(log.written).hasSize(1);
    var first = log.written.get(0);
    assertThat(first.type()).isEqualTo(AuditEventType.RATE_LIMITED);
    assertThat(first.outcome()).isEqualTo(AuditRecord.Outcome.FAILURE);
    assertThat(first.reason()).isEqualTo("API");
    assertThat(first.client())
        .as("the written one keeps user agent and request id")
        .isEqualTo(CLIENT);
    assertThat(first.detail()).isEqualTo("endpoint=AuthResource.login");

    clock.advance(Duration.ofSeconds(61));
    refusals.flush();
    assertThat(log.written).hasSize(2);
    assertThat(log.written.get(1).detail())
        .isEqualTo(
            "endpoint=AuthResource.login repeated=9 since=2026-01-01T10:00:00Z"
                + " until=2026-01-01T10:01:00Z");
  }

  @Test
  void anUnreachableAuditStoreNeverFailsTheRefusal() {
    var log = new FakeAuditLog();
    log.down = true;
    var refusals = refusals(log);
    assertThatCode(
            () -> {
              refusals.csrfRejected(CLIENT, "BAD_TOKEN", "u1", "ApiKeyResource.create");
              refusals.record(
                  AuditRecord.failure(
                      AuditEventType.ACCESS_TOKEN_REFUSED, "REVOKED_SID", "u1", CLIENT));
              clock.advance(Duration.ofMinutes(2));
              refusals.flush();
              refusals.stop();
            })
        .doesNotThrowAnyException();
    assertThat(log.written).isEmpty();
  }

  @Test
  void stoppingWritesWhatIsStillCounted() {
    var log = new FakeAuditLog();
    var refusals = refusals(log);
    refusals.csrfRejected(CLIENT, "CROSS_ORIGIN", null, "logout");
    refusals.csrfRejected(CLIENT, "CROSS_ORIGIN", null, "logout");
    refusals.stop();
    assertThat(log.written).hasSize(2);
    assertThat(log.written.get(1).detail()).startsWith("endpoint=logout repeated=1 ");
  }
}
