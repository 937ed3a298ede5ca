package dev.portcullis.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The JVM options {@code payara/run.sh} always gives the server ({@code payara/jvm.options}), so
 * that a benchmark's own JVMs (the hash-only ceiling, JMH forks) compile Argon2id the way the
 * server does and their figures compare.
 */
public final class ServerJvmOptions {

  private ServerJvmOptions() {}

  /** The options, read from {@code payara/jvm.options} under the working directory. */
  public static List<String> read() {
    try {
      return Files.readAllLines(Path.of("payara", "jvm.options")).stream()
          .map(String::strip)
          .filter(line -> !line.isEmpty() && !line.startsWith("#"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("run the benchmarks from the project directory", e);
    }
  }
}
