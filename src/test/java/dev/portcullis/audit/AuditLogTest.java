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

  @Test
  void unicodeLineSeparatorsAndNextLineAreEscaped() {
    assertThat(AuditLog.escape("a\u2028b\u2029c\u0085d"))
        .isEqualTo("\"a\\u2028b\\u2029c\\u0085d\"");
  }

  @Test
  void bidirectionalControlsCannotReorderALine() {
    String bidi = "\u061C\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069";
    String escaped = AuditLog.escape("ua" + bidi + "end");
    for (char c : bidi.toCharArray()) {
      assertThat(escaped).doesNotContain(String.valueOf(c));
      assertThat(escaped).contains(String.format("\\u%04x", (int) c));
    }
    assertThat(escaped).startsWith("\"ua\\u061c").endsWith("\\u2069end\"");
  }

  @Test
  void zeroWidthAndOtherFormatCharactersAreEscaped() {
    assertThat(AuditLog.escape("a\u200Bb\uFEFFc\u00ADd"))
        .isEqualTo("\"a\\u200bb\\ufeffc\\u00add\"");
    // U+E0041 TAG LATIN CAPITAL LETTER A, invisible: escaped as its surrogate pair
    assertThat(AuditLog.escape("x" + Character.toString(0xE0041))).isEqualTo("\"x\\udb40\\udc41\"");
  }

  @Test
  void loneSurrogatesAreEscapedAndPairsKept() {
    assertThat(AuditLog.escape("a\uD800b\uDC00")).isEqualTo("\"a\\ud800b\\udc00\"");
    String emoji = Character.toString(0x1F600);
    assertThat(AuditLog.escape("ok " + emoji)).isEqualTo("\"ok " + emoji + "\"");
  }

  @Test
  void ordinaryTextIsKept() {
    assertThat(AuditLog.escape("Mozilla/5.0 (X11; Linux) Größe 東京 עברית"))
        .isEqualTo("\"Mozilla/5.0 (X11; Linux) Größe 東京 עברית\"");
    assertThat(AuditLog.escape(null)).isEqualTo("-");
  }
}
