package dev.portcullis.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** What the benchmark ran on, for the report's first line. */
final class Machine {

  private Machine() {}

  static String cpu() {
    return read("/proc/cpuinfo")
        .lines()
        .filter(l -> l.startsWith("model name"))
        .map(l -> l.substring(l.indexOf(':') + 1).trim())
        .findFirst()
        .orElse("unknown CPU");
  }

  static String memory() {
    return read("/proc/meminfo")
        .lines()
        .filter(l -> l.startsWith("MemTotal:"))
        .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024 / 1024 + " GiB RAM")
        .findFirst()
        .orElse("unknown RAM");
  }

  /** The first line of {@code java -version} of the {@code java} the server runs on. */
  static String java() {
    try {
      var process = new ProcessBuilder("java", "-version").redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor(30, TimeUnit.SECONDS);
      return output.lines().findFirst().orElse("java").replace("\"", "");
    } catch (IOException e) {
      return "java";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "java";
    }
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file));
    } catch (IOException e) {
      return "";
    }
  }
}
