package dev.portcullis.user;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import org.eclipse.microprofile.config.Config;

/**
 * How much password hashing one node does at a time, read from MicroProfile Config.
 *
 * <p>Argon2id is memory-bound: more concurrent hashes than cores make every one of them slower
 * (measured here: two cores hashing four at a time finish fewer per second than two at a time), so
 * a login flood would push every login into its client's timeout. Hashes beyond {@code concurrency}
 * wait in a bounded queue instead, and are refused with 503 once it is full or they have waited
 * {@code queueTimeout}.
 *
 * <p>The defaults keep the wait brief: a login waits at most a second for its turn, then gets 503
 * and {@code Retry-After}, well before a client's own timeout; the queue holds up to 32 waiting
 * logins per hashing turn, about a second of hashing at ~35 ms a hash, so a flood keeps every
 * hashing turn busy while the logins that cannot start within the second are refused. (A queue that
 * refuses as soon as a few wait is worse: measured on 2 cores with 64 connections that resend at
 * once, 8 waiting per turn answered 2,700 refusals a second and let 9 logins a second through. With
 * 64 waiting and 5 s, the waits reached 1.8 s and clients with a 2 s timeout gave up instead of
 * getting their 503.)
 *
 * @param concurrency hashes computed at once ({@code portcullis.password.hashing.concurrency},
 *     default: the number of available processors)
 * @param queueTimeout longest wait for a turn ({@code portcullis.password.hashing.queue-timeout},
 *     ISO-8601, default {@code PT1S}, 0 … 30 s)
 * @param maxQueued requests that may wait at once ({@code portcullis.password.hashing.max-queued},
 *     default {@value #QUEUED_PER_TURN} per hashing turn, × {@code concurrency})
 */
public record HashingSettings(int concurrency, Duration queueTimeout, int maxQueued) {

  static final String CONCURRENCY = "portcullis.password.hashing.concurrency";
  static final String QUEUE_TIMEOUT = "portcullis.password.hashing.queue-timeout";
  static final String MAX_QUEUED = "portcullis.password.hashing.max-queued";
  static final int QUEUED_PER_TURN = 32;

  public HashingSettings {
    if (concurrency < 1 || concurrency > 1024) {
      throw new IllegalArgumentException(CONCURRENCY + " must be between 1 and 1024");
    }
    if (queueTimeout.isNegative() || queueTimeout.compareTo(Duration.ofSeconds(30)) > 0) {
      throw new IllegalArgumentException(QUEUE_TIMEOUT + " must be between 0 and 30 s");
    }
    if (maxQueued < 0 || maxQueued > 100_000) {
      throw new IllegalArgumentException(MAX_QUEUED + " must be between 0 and 100000");
    }
  }

  /** Reads and validates the settings; a bad value fails start-up. */
  public static HashingSettings read(Config config) {
    String timeout = config.getOptionalValue(QUEUE_TIMEOUT, String.class).orElse("PT1S");
    Duration queueTimeout;
    try {
      queueTimeout = Duration.parse(timeout.strip());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(QUEUE_TIMEOUT + " is not an ISO-8601 duration", e);
    }
    int concurrency = integer(config, CONCURRENCY, Runtime.getRuntime().availableProcessors());
    return new HashingSettings(
        concurrency, queueTimeout, integer(config, MAX_QUEUED, QUEUED_PER_TURN * concurrency));
  }

  private static int integer(Config config, String key, int fallback) {
    String value = config.getOptionalValue(key, String.class).orElse(null);
    try {
      return value == null ? fallback : Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " is not a whole number", e);
    }
  }
}
