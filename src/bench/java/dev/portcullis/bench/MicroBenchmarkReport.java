package dev.portcullis.bench;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;

/**
 * The markdown table of a JMH run: each benchmark's primary score as JMH reports it, and the same
 * score as ops/s (all threads together) and µs/op (one operation on one thread), so a reader sees
 * both whatever the mode. A line above the table names the JVM, processors and date.
 */
final class MicroBenchmarkReport {

  private MicroBenchmarkReport() {}

  static String markdown(Collection<RunResult> results, Instant when, int processors) {
    var text = new StringBuilder();
    text.append("# Micro-benchmarks\n\n");
    if (!results.isEmpty()) {
      var params = results.iterator().next().getParams();
      text.append(
          String.format(
              Locale.ROOT,
              "JDK %s (%s %s), %d available processors, %s; JMH %s, %d fork, warm-up %d × %s,"
                  + " measurement %d × %s.%n%n",
              params.getJdkVersion(),
              params.getVmName(),
              params.getVmVersion(),
              processors,
              when.truncatedTo(ChronoUnit.SECONDS),
              params.getJmhVersion(),
              params.getForks(),
              params.getWarmup().getCount(),
              params.getWarmup().getTime(),
              params.getMeasurement().getCount(),
              params.getMeasurement().getTime()));
    }
    var table =
        new MarkdownTable(
            "Benchmark", "Threads", "Mode", "Score ± Error", "Units", "ops/s", "µs/op");
    for (var result : results) {
      var params = result.getParams();
      var primary = result.getPrimaryResult();
      double opsPerSecond = opsPerSecond(params, primary.getScore());
      table.row(
          name(params),
          params.getThreads(),
          params.getMode().shortLabel(),
          number(primary.getScore()) + " ± " + number(primary.getScoreError()),
          primary.getScoreUnit(),
          number(opsPerSecond),
          number(params.getThreads() * 1e6 / opsPerSecond));
    }
    text.append(table);
    text.append(
        "\nops/s counts every thread's operations together; µs/op is how long one operation takes"
            + " on one thread (threads × 10⁶ ÷ ops/s).\n");
    return text.toString();
  }

  /** The benchmark's class and method, with its parameters: {@code Class.method (p=v)}. */
  private static String name(BenchmarkParams params) {
    String benchmark = params.getBenchmark();
    int method = benchmark.lastIndexOf('.');
    String shortName = benchmark.substring(benchmark.lastIndexOf('.', method - 1) + 1);
    if (params.getParamsKeys().isEmpty()) {
      return shortName;
    }
    return shortName
        + " ("
        + params.getParamsKeys().stream()
            .map(key -> key + "=" + params.getParam(key))
            .collect(Collectors.joining(", "))
        + ")";
  }

  /** The throughput of all threads together, whatever the mode and unit of {@code score}. */
  private static double opsPerSecond(BenchmarkParams params, double score) {
    double unitsPerSecond = TimeUnit.SECONDS.toNanos(1) / (double) params.getTimeUnit().toNanos(1);
    return params.getMode() == Mode.Throughput
        ? score * unitsPerSecond
        : params.getThreads() * unitsPerSecond / score;
  }

  private static String number(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return "–";
    }
    double magnitude = Math.abs(value);
    String pattern = magnitude >= 100 ? "%,.0f" : magnitude >= 1 ? "%.2f" : "%.3f";
    return String.format(Locale.ROOT, pattern, value);
  }
}
