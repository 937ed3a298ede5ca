package dev.portcullis.apikey;

import dev.portcullis.problem.JsonBodies;
import dev.portcullis.problem.ProblemException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;

/** Reads the JSON bodies of the key endpoints into their request types, refusing bad input. */
final class ApiKeyRequests {

  private ApiKeyRequests() {}

  /** {@code {"name","scopes":[],"audience"?,"expires_at"?}}. */
  static NewApiKey newKey(String body) {
    JsonObject json = JsonBodies.object(body);
    Instant expiresAt =
        JsonBodies.optionalString(json, "expires_at")
            .map(
                value -> {
                  try {
                    return Instant.parse(value);
                  } catch (DateTimeParseException e) {
                    throw ProblemException.validation("expires_at must be an ISO-8601 instant");
                  }
                })
            .orElse(null);
    return new NewApiKey(
        JsonBodies.requiredString(json, "name"),
        new LinkedHashSet<>(JsonBodies.stringList(json, "scopes")),
        JsonBodies.optionalString(json, "audience").orElse(null),
        expiresAt);
  }

  /** An optional body {@code {"grace_seconds": n}}; null means the configured default. */
  static Duration grace(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    var value = JsonBodies.object(body).get("grace_seconds");
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonNumber number) || !number.isIntegral()) {
      throw ProblemException.validation("grace_seconds must be a whole number");
    }
    return Duration.ofSeconds(number.longValue());
  }
}
