package dev.portcullis.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code wrk} with the benchmark's Lua script ({@code src/bench/wrk/portcullis.lua}) and reads
 * the one {@code BENCH ...} line the script prints at the end.
 */
final class Wrk {

  private final Path script;
  private final int threads;

  Wrk(Path script, int threads) {
    this.script = script;
    this.threads = threads;
  }

  /** What one run measured; latencies in microseconds. */
  record Result(
      long requests,
      double seconds,
      long non2xx,
      long socketErrors,
      long p50,
      long p90,
      long p99,
      long max,
      Map<Integer, Long> statuses) {

    double perSecond() {
      return requests / seconds;
    }

    long status(int code) {
      return statuses.getOrDefault(code, 0L);
    }

    /** Requests per second that got {@code code}. */
    double perSecond(int code) {
      return status(code) / seconds;
    }
  }

  /** Whether wrk is on the PATH. */
  static boolean installed() {
    try {
      var process = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      process.waitFor(10, TimeUnit.SECONDS);
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * {@code wrk -t<threads> -c<connections> -d<seconds>s -s portcullis.lua <url> -- <args>}.
   *
   * @param args the script's arguments (mode, file, ...)
   */
  Result run(String url, int connections, int seconds, String... args) {
    var command = new ArrayList<String>();
    command.addAll(
        List.of(
            "wrk",
            "-t" + Math.min(threads, connections),
            "-c" + connections,
            "-d" + seconds + "s",
            "--timeout",
            "10s",
            "-s",
            script.toString(),
            url,
            "--"));
    command.addAll(List.of(args));
    try {
      var process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(seconds + 60L, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException("wrk failed: " + command + "\n" + output);
      }
      return parse(output);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run wrk", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Result parse(String output) {
    String line =
        output
            .lines()
            .filter(l -> l.startsWith("BENCH "))
            .findFirst()
            .orElseThrow(
                () -> new IllegalStateException("no BENCH line in wrk output:\n" + output));
    var values = new TreeMap<String, Long>();
    var statuses = new TreeMap<Integer, Long>();
    for (String pair : line.substring("BENCH ".length()).trim().split("\\s+")) {
      String[] kv = pair.split("=", 2);
      long value = Long.parseLong(kv[1]);
      if (kv[0].startsWith("status_")) {
        statuses.put(Integer.parseInt(kv[0].substring("status_".length())), value);
      } else {
        values.put(kv[0], value);
      }
    }
    return new Result(
        values.get("requests"),
        values.get("duration_us") / 1e6,
        values.get("errors_status"),
        values.get("errors_connect")
            + values.get("errors_read")
            + values.get("errors_write")
            + values.get("errors_timeout"),
        values.get("p50_us"),
        values.get("p90_us"),
        values.get("p99_us"),
        values.get("max_us"),
        statuses);
  }
}
