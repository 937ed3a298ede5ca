package dev.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.web.ClientInfo;
import org.junit.jupiter.api.Test;

class AuditLogTest {

  @Test
  void userControlledTextCannotForgeLogLines() {
    var record =
        AuditRecord.failure(
            AuditEventType.LOGIN,
            "WRONG_PASSWORD",
            "x",
            new ClientInfo(
                "127.0.0.1", "agent\r\n[INFO] audit type=LOGIN outcome=SUCCESS\u0007\"q"));
    String line = AuditLog.line(record);
    assertThat(line).doesNotContain("\n", "\r", "\u0007");
    assertThat(line).contains("\\r\\n", "\\u0007", "\\\"q");
    assertThat(line).startsWith("audit type=LOGIN outcome=FAILURE reason=\"WRONG_PASSWORD\"");
  }

  @Test
  void theDetailEndsTheLineEscaped() {
    var record =
        AuditRecord.failure(AuditEventType.RATE_LIMITED, "API", null, new ClientInfo("::1", null))
            .withDetail("endpoint=AuthResource.login repeated=41\n[INFO] forged");
    assertThat(AuditLog.line(record))
        .isEqualTo(
            "audit type=RATE_LIMITED outcome=FAILURE reason=\"API\" subject=- actor=- ip=\"::1\""
                + " ua=- request=- detail=\"endpoint=AuthResource.login repeated=41\\n[INFO]"
                + " forged\"");
  }
}
