package dev.portcullis.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogValuesTest {

  @Test
  void unicodeLineSeparatorsAndNextLineAreEscaped() {
    assertThat(LogValues.escape("a\u2028b\u2029c\u0085d"))
        .isEqualTo("\"a\\u2028b\\u2029c\\u0085d\"");
  }

  @Test
  void bidirectionalControlsCannotReorderALine() {
    String bidi = "\u061C\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069";
    String escaped = LogValues.escape("ua" + bidi + "end");
    for (char c : bidi.toCharArray()) {
      assertThat(escaped).doesNotContain(String.valueOf(c));
      assertThat(escaped).contains(String.format("\\u%04x", (int) c));
    }
    assertThat(escaped).startsWith("\"ua\\u061c").endsWith("\\u2069end\"");
  }

  @Test
  void zeroWidthAndOtherFormatCharactersAreEscaped() {
    assertThat(LogValues.escape("a\u200Bb\uFEFFc\u00ADd"))
        .isEqualTo("\"a\\u200bb\\ufeffc\\u00add\"");
    // U+E0041 TAG LATIN CAPITAL LETTER A, invisible: escaped as its surrogate pair
    assertThat(LogValues.escape("x" + Character.toString(0xE0041)))
        .isEqualTo("\"x\\udb40\\udc41\"");
  }

  @Test
  void loneSurrogatesAreEscapedAndPairsKept() {
    assertThat(LogValues.escape("a\uD800b\uDC00")).isEqualTo("\"a\\ud800b\\udc00\"");
    String emoji = Character.toString(0x1F600);
    assertThat(LogValues.escape("ok " + emoji)).isEqualTo("\"ok " + emoji + "\"");
  }

  @Test
  void ordinaryTextIsKept() {
    assertThat(LogValues.escape("Mozilla/5.0 (X11; Linux) Größe 東京 עברית"))
        .isEqualTo("\"Mozilla/5.0 (X11; Linux) Größe 東京 עברית\"");
    assertThat(LogValues.escape(null)).isEqualTo("-");
  }
}
