package dev.portcullis.user;

import dev.portcullis.problem.ProblemException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Lets at most {@link HashingSettings#concurrency()} password hashes run at once; the next ones
 * wait their turn in arrival order, at most {@link HashingSettings#maxQueued()} of them and each
 * for at most {@link HashingSettings#queueTimeout()}, and are otherwise refused with 503 {@code
 * SERVICE_UNAVAILABLE} and {@code Retry-After: 1}. A refusal happens before any hashing, so it
 * tells an attacker nothing about the account. Refusals are counted and logged at most once every
 * ten seconds. Thread-safe.
 */
public final class HashingGate {

  private static final Logger LOG = Logger.getLogger(HashingGate.class.getName());
  private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Semaphore permits;
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);
  private final HashingSettings settings;

  public HashingGate(HashingSettings settings) {
    this.settings = settings;
    this.permits = new Semaphore(settings.concurrency(), true);
  }

  /** A gate that never makes anyone wait (unit tests, tools). */
  public static HashingGate unlimited() {
    return new HashingGate(new HashingSettings(1024, Duration.ZERO, 0));
  }

  /**
   * Refuses at once (503) when the queue is already full, so a login flood is turned away before it
   * costs any database work; a request let through may still have to wait in {@link #run}.
   */
  public void admit() {
    if (settings.maxQueued() > 0
        ? queued.get() >= settings.maxQueued()
        : permits.availablePermits() == 0) {
      throw refuse();
    }
  }

  /**
   * Runs {@code hashing} once a turn is free.
   *
   * @throws ProblemException 503 when no turn came within the queue timeout or the queue is full
   */
  public <T> T run(Supplier<T> hashing) {
    acquire();
    try {
      return hashing.get();
    } finally {
      permits.release();
    }
  }

  private void acquire() {
    try {
      // tryAcquire with a timeout respects the queue's order; the untimed one would barge
      if (permits.tryAcquire(0, TimeUnit.NANOSECONDS)) {
        return;
      }
      try {
        if (queued.incrementAndGet() > settings.maxQueued()
            || !permits.tryAcquire(settings.queueTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
          throw refuse();
        }
      } finally {
        queued.decrementAndGet();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw refuse();
    }
  }

  private ProblemException refuse() {
    long count = refused.incrementAndGet();
    long now = System.nanoTime();
    long last = lastLog.get();
    if (now - last >= LOG_INTERVAL_NANOS && lastLog.compareAndSet(last, now)) {
      LOG.warning(
          () ->
              "Password hashing is at capacity ("
                  + settings.concurrency()
                  + " at once, "
                  + settings.maxQueued()
                  + " waiting): "
                  + count
                  + " requests refused with 503 since start");
    }
    return ProblemException.unavailable().retryAfter(1);
  }
}
