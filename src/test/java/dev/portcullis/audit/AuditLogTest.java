package dev.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;

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
}
