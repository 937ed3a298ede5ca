package dev.portcullis.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Live heap of another JVM: {@code jcmd <pid> GC.class_histogram} runs a full collection and counts
 * the bytes of every object still reachable, so two readings differ by what was retained in
 * between, not by garbage.
 */
final class HeapProbe {

  private static final Pattern TOTAL = Pattern.compile("(?m)^Total\\s+(\\d+)\\s+(\\d+)\\s*$");

  private HeapProbe() {}

  /** Bytes of live objects in the JVM {@code pid}, after a full GC. */
  static long liveBytes(long pid) {
    try {
      var process =
          new ProcessBuilder("jcmd", Long.toString(pid), "GC.class_histogram")
              .redirectErrorStream(true)
              .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor(120, TimeUnit.SECONDS);
      var total = TOTAL.matcher(output);
      if (!total.find()) {
        throw new IllegalStateException("no total in jcmd output:\n" + output);
      }
      return Long.parseLong(total.group(2));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run jcmd (a JDK's bin/ on the PATH)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
