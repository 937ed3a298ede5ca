package dev.portcullis.audit;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import org.eclipse.microprofile.config.Config;

/**
 * The audit log's own settings, read from MicroProfile Config.
 *
 * @param lockTimeout how long an append waits for the chain head's row lock before the audited
 *     operation fails closed with 503 ({@code portcullis.audit.lock-timeout}, ISO-8601, default
 *     {@code PT5S}; applied on PostgreSQL with {@code SET LOCAL lock_timeout}; H2 uses its own
 *     {@code LOCK_TIMEOUT}, 2 s unless the database URL says otherwise)
 * @param refusalWindow how long repeats of one refusal from one source are counted instead of
 *     written ({@code portcullis.audit.refusal-window}, ISO-8601, default {@code PT1M}, 1 s to 1 h;
 *     see {@link Refusals})
 */
public record AuditSettings(Duration lockTimeout, Duration refusalWindow) {

  static final String LOCK_TIMEOUT = "portcullis.audit.lock-timeout";
  static final String REFUSAL_WINDOW = "portcullis.audit.refusal-window";

  public AuditSettings {
    if (lockTimeout.isNegative() || lockTimeout.isZero() || lockTimeout.toSeconds() > 60) {
      throw new IllegalArgumentException(LOCK_TIMEOUT + " must be between 1 ms and 60 s");
    }
    if (refusalWindow.compareTo(Duration.ofSeconds(1)) < 0
        || refusalWindow.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException(REFUSAL_WINDOW + " must be between 1 s and 1 h");
    }
  }

  /** Reads and validates the settings; a bad value fails start-up. */
  public static AuditSettings read(Config config) {
    return new AuditSettings(
        duration(config, LOCK_TIMEOUT, "PT5S"), duration(config, REFUSAL_WINDOW, "PT1M"));
  }

  private static Duration duration(Config config, String key, String fallback) {
    String value = config.getOptionalValue(key, String.class).orElse(fallback);
    try {
      return Duration.parse(value.strip());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(key + " is not an ISO-8601 duration", e);
    }
  }
}
