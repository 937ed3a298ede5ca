package dev.portcullis.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A markdown table built row by row. */
final class MarkdownTable {

  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  MarkdownTable(String... header) {
    this.header = List.of(header);
  }

  MarkdownTable row(Object... cells) {
    var row = new ArrayList<String>();
    for (Object cell : cells) {
      row.add(String.valueOf(cell));
    }
    rows.add(row);
    return this;
  }

  @Override
  public String toString() {
    var out = new StringBuilder();
    out.append("| ").append(String.join(" | ", header)).append(" |\n|");
    header.forEach(h -> out.append("---|"));
    out.append('\n');
    rows.forEach(r -> out.append("| ").append(String.join(" | ", r)).append(" |\n"));
    return out.toString();
  }

  static String number(double value) {
    return String.format(Locale.ROOT, value >= 100 ? "%,.0f" : "%,.1f", value);
  }

  static String percent(double ratio) {
    return String.format(Locale.ROOT, "%.1f %%", ratio * 100);
  }

  static String millis(long micros) {
    return String.format(Locale.ROOT, "%.2f ms", micros / 1000.0);
  }

  /** {@code cpuSeconds} spread over {@code requests}, in milliseconds per request. */
  static String perRequest(double cpuSeconds, long requests) {
    return requests == 0
        ? "–"
        : String.format(Locale.ROOT, "%.1f ms", cpuSeconds * 1000 / requests);
  }
}
