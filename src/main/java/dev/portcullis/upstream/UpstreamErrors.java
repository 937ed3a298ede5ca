package dev.portcullis.upstream;

/** Makes a provider's error code safe for the audit log: lower-case letters, digits, {@code _}. */
final class UpstreamErrors {

  private static final int MAX = 40;

  private UpstreamErrors() {}

  /** {@code value} with every other character dropped, at most 40 long, or {@code unknown}. */
  static String code(String value) {
    if (value == null) {
      return "unknown";
    }
    var out = new StringBuilder();
    for (char c : value.toCharArray()) {
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
        out.append(c);
        if (out.length() == MAX) {
          break;
        }
      }
    }
    return out.isEmpty() ? "unknown" : out.toString();
  }
}
