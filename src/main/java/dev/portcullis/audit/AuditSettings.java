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
 */
public record AuditSettings(Duration lockTimeout) {

  static final String LOCK_TIMEOUT = "portcullis.audit.lock-timeout";

  public AuditSettings {
    if (lockTimeout.isNegative() || lockTimeout.isZero() || lockTimeout.toSeconds() > 60) {
      throw new IllegalArgumentException(LOCK_TIMEOUT + " must be between 1 ms and 60 s");
    }
  }

  /** Reads and validates the settings; a bad value fails start-up. */
  public static AuditSettings read(Config config) {
    String value = config.getOptionalValue(LOCK_TIMEOUT, String.class).orElse("PT5S");
    try {
      return new AuditSettings(Duration.parse(value.strip()));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(LOCK_TIMEOUT + " is not an ISO-8601 duration", e);
    }
  }
}
