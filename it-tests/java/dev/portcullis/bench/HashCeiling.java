package dev.portcullis.bench;

import dev.portcullis.config.Settings.Argon2Settings;
import dev.portcullis.user.PasswordHashing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ceiling of password logins: Argon2id verifications per second with nothing else around them,
 * with the server's parameters and the server's hashing code ({@link PasswordHashing}), on this
 * machine, while the server is idle, in a JVM with the server's fixed options ({@code
 * payara/jvm.options}) and heap settings.
 */
final class HashCeiling {

  record Result(int threads, double perSecond, double singleMillis) {}

  private HashCeiling() {}

  /**
   * {@link #measure} in a JVM of its own started with {@code jvmOptions} (the server's heap
   * settings: Argon2id allocates its memory afresh for every hash, so the collector's work is part
   * of the hash's cost and must be the same as in the server).
   */
  static Result inOwnJvm(String jvmOptions, int threads, int seconds) {
    var command = new ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ServerJvmOptions.read());
    command.addAll(List.of(jvmOptions.trim().split("\\s+")));
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            HashCeiling.class.getName(),
            Integer.toString(threads),
            Integer.toString(seconds)));
    try {
      var process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor(10, TimeUnit.MINUTES);
      String line =
          output
              .lines()
              .filter(l -> l.startsWith("CEILING "))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("hash ceiling failed:\n" + output));
      String[] values = line.split(" ");
      return new Result(threads, Double.parseDouble(values[1]), Double.parseDouble(values[2]));
    } catch (IOException e) {
      throw new IllegalStateException("cannot start a JVM for the hash ceiling", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code HashCeiling <threads> <seconds>}: prints {@code CEILING <per second> <single ms>}. */
  public static void main(String[] args) {
    var result =
        measure(Argon2Settings.OWASP, Integer.parseInt(args[0]), Integer.parseInt(args[1]));
    System.out.println("CEILING " + result.perSecond() + " " + result.singleMillis());
  }

  /** {@code threads} threads' verifications per second, then one thread's time per verification. */
  static Result measure(Argon2Settings parameters, int threads, int seconds) {
    var hashing = new PasswordHashing(parameters);
    String stored = hashing.hash("Bench-Pass-ceiling");
    // the JIT needs several seconds before Argon2id reaches full speed
    run(hashing, stored, threads, 8);
    double parallel = run(hashing, stored, threads, seconds);
    double single = 1000.0 / run(hashing, stored, 1, Math.max(3, seconds / 2));
    return new Result(threads, parallel, single);
  }

  /** Verifications per second over {@code seconds} with {@code threads} threads. */
  private static double run(PasswordHashing hashing, String stored, int threads, int seconds) {
    var count = new AtomicLong();
    var done = new CountDownLatch(threads);
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    for (int t = 0; t < threads; t++) {
      var worker =
          new Thread(
              () -> {
                while (System.nanoTime() < deadline) {
                  if (!hashing.verify("Bench-Pass-ceiling", stored)) {
                    throw new IllegalStateException("the ceiling's own hash does not verify");
                  }
                  count.incrementAndGet();
                }
                done.countDown();
              });
      worker.start();
    }
    long start = System.nanoTime();
    try {
      done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return count.get() / ((System.nanoTime() - start) / 1e9);
  }
}
