package dev.portcullis.bench;

import dev.portcullis.config.Settings.Argon2Settings;
import dev.portcullis.user.PasswordHashing;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
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
 *
 * <p>The JVM is started once and kept warm, and measures whenever asked, so that the benchmark can
 * measure the ceiling right next to each login run: on a shared 2-core machine one thread's hash
 * was seen taking 32 ms in one two-second window and 50 ms in the next, so a ceiling measured
 * minutes before the logins compared the logins with another machine.
 */
final class HashCeiling implements AutoCloseable {

  /** {@code threads} threads' verifications per second. */
  record Result(int threads, double perSecond) {

    /** The time of one verification, for a single thread. */
    double millisEach() {
      return threads * 1000.0 / perSecond;
    }
  }

  private static final String STORED_PASSWORD = "Bench-Pass-ceiling";
  private static final String READY = "READY";
  private static final String ANSWER = "CEILING ";

  private final Process process;
  private final PrintWriter commands;
  private final BufferedReader answers;

  private HashCeiling(Process process) {
    this.process = process;
    this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    this.answers =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /**
   * A warmed-up ceiling in a JVM of its own started with {@code jvmOptions} (the server's heap
   * settings: Argon2id allocates its memory afresh for every hash, so the collector's work is part
   * of the hash's cost and must be the same as in the server).
   */
  static HashCeiling start(String jvmOptions, int warmUpThreads) {
    var command = new ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ServerJvmOptions.read());
    command.addAll(List.of(jvmOptions.trim().split("\\s+")));
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            HashCeiling.class.getName(),
            Integer.toString(warmUpThreads)));
    try {
      var ceiling =
          new HashCeiling(
              new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
      ceiling.expect(READY);
      return ceiling;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start a JVM for the hash ceiling", e);
    }
  }

  /** Verifications per second on {@code threads} threads over {@code seconds}. */
  Result measure(int threads, int seconds) {
    commands.println(threads + " " + seconds);
    return new Result(threads, Double.parseDouble(expect(ANSWER).substring(ANSWER.length())));
  }

  private String expect(String prefix) {
    try {
      for (String line; (line = answers.readLine()) != null; ) {
        if (line.startsWith(prefix)) {
          return line;
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("the hash ceiling's JVM stopped answering", e);
    }
    throw new IllegalStateException("the hash ceiling's JVM ended");
  }

  @Override
  public void close() {
    commands.close();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * {@code HashCeiling <warm-up threads>}: warms up, prints {@code READY}, then answers each line
   * {@code <threads> <seconds>} of standard input with {@code CEILING <verifications per second>}
   * until standard input ends.
   */
  public static void main(String[] args) throws IOException {
    var hashing = new PasswordHashing(Argon2Settings.OWASP);
    String stored = hashing.hash(STORED_PASSWORD);
    // the JIT needs several seconds before Argon2id reaches full speed
    run(hashing, stored, Integer.parseInt(args[0]), 8);
    System.out.println(READY);
    var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      String[] request = line.trim().split(" ");
      double perSecond =
          run(hashing, stored, Integer.parseInt(request[0]), Integer.parseInt(request[1]));
      System.out.println(ANSWER + perSecond);
    }
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
                  if (!hashing.verify(STORED_PASSWORD, stored)) {
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
