package dev.portcullis.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class EscapedFailureTest {

  @Test
  void messagesAreEscapedAndFramesKept() {
    var cause =
        new IllegalStateException(
            "Key (email_key)=(a\u2028[SEVERE] forged@x) already exists\n[INFO] forged line");
    var failure = new RuntimeException("outer \u202Ereversed", cause);
    failure.addSuppressed(new IllegalArgumentException("suppressed\r\nline"));

    var escaped = EscapedFailure.of(failure);
    var printed = new StringWriter();
    escaped.printStackTrace(new PrintWriter(printed));
    String text = printed.toString();

    assertThat(text)
        .startsWith("java.lang.RuntimeException: \"outer \\u202ereversed\"")
        .contains(
            "Caused by: java.lang.IllegalStateException: \"Key (email_key)=(a\\u2028[SEVERE]"
                + " forged@x) already exists\\n[INFO] forged line\"")
        .contains("Suppressed: java.lang.IllegalArgumentException: \"suppressed\\r\\nline\"")
        .contains("at dev.portcullis.logging.EscapedFailureTest.messagesAreEscapedAndFramesKept")
        .doesNotContain("\u2028", "\u202E", "\n[INFO]", "\n[SEVERE]");
    assertThat(escaped.getStackTrace()).isEqualTo(failure.getStackTrace());
  }

  @Test
  void aThrowableWithoutMessageIsNamedOnly() {
    assertThat(EscapedFailure.of(new NullPointerException()).toString())
        .isEqualTo("java.lang.NullPointerException");
  }
}
