package dev.portcullis.logging;

/**
 * Makes user-controlled text safe to put in a log line: quoted, with everything escaped that could
 * end the line, fake another one or make a viewer show it in another order than it was written.
 * Audit lines ({@code dev.portcullis.audit.AuditLog}) and the messages of logged failures ({@link
 * EscapedFailure}) both go through it. Stateless, thread-safe.
 */
public final class LogValues {

  private LogValues() {}

  /**
   * Quotes a value and escapes anything that could end, fake or visually reorder a log line: CR,
   * LF, the quote and backslash, every other control character (C0, DEL, C1 including NEL), the
   * Unicode line and paragraph separators (U+2028, U+2029, which some viewers and JSON-based
   * collectors treat as line ends), every format character (category Cf: the bidirectional controls
   * U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069 that make a viewer show text in another
   * order than it was written — "Trojan Source", CVE-2021-42574 — and zero-width characters) and
   * unpaired surrogates. Each becomes a backslash, {@code u} and the four hex digits of its UTF-16
   * code unit (two such for a supplementary character); everything else is kept.
   */
  public static String escape(String value) {
    if (value == null) {
      return "-";
    }
    var out = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (Character.isHighSurrogate(c)
              && i + 1 < value.length()
              && Character.isLowSurrogate(value.charAt(i + 1))) {
            int codePoint = value.codePointAt(i);
            if (mustEscape(codePoint)) {
              out.append(String.format("\\u%04x\\u%04x", (int) c, (int) value.charAt(i + 1)));
            } else {
              out.appendCodePoint(codePoint);
            }
            i++;
          } else if (mustEscape(c) || Character.isSurrogate(c)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private static boolean mustEscape(int codePoint) {
    return switch (Character.getType(codePoint)) {
      case Character.CONTROL,
          Character.FORMAT,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR ->
          true;
      default -> false;
    };
  }
}
