package dev.portcullis.bench;

import dev.portcullis.config.Settings.Argon2Settings;
import dev.portcullis.user.PasswordHashing;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ceiling of password logins: Argon2id verifications per second with nothing else around them,
 * with the server's parameters and the server's hashing code ({@link PasswordHashing}), on this
 * machine, while the server is idle.
 */
final class HashCeiling {

  record Result(int threads, double perSecond, double singleMillis) {}

  private HashCeiling() {}

  /** One thread's time per verification, then {@code threads} threads' verifications per second. */
  static Result measure(Argon2Settings parameters, int threads, int seconds) {
    var hashing = new PasswordHashing(parameters);
    String stored = hashing.hash("Bench-Pass-ceiling");
    run(hashing, stored, 1, 2);
    double single = 1000.0 / run(hashing, stored, 1, Math.max(2, seconds / 2));
    double parallel = run(hashing, stored, threads, seconds);
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
