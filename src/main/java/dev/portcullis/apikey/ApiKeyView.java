package dev.portcullis.apikey;

import dev.portcullis.problem.JsonFactory;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.time.Instant;

/** The JSON shape of a key: never its secret or hash; the full key only right after creation. */
final class ApiKeyView {

  private ApiKeyView() {}

  static JsonObject of(ApiKey key, Instant now) {
    return builder(key, now).build();
  }

  static JsonObject created(CreatedApiKey created, Instant now) {
    return builder(created.key(), now).add("key", created.value()).build();
  }

  private static JsonObjectBuilder builder(ApiKey key, Instant now) {
    var scopes = JsonFactory.createArrayBuilder();
    key.scopes().stream().sorted().forEach(scopes::add);
    var json =
        JsonFactory.createObjectBuilder()
            .add("id", key.id())
            .add("prefix", "ptc_" + key.id())
            .add("name", key.name())
            .add("scopes", scopes)
            .add("status", status(key, now))
            .add("created_at", key.createdAt().toString());
    optional(json, "audience", key.audience());
    optional(json, "expires_at", key.expiresAt());
    optional(json, "last_used_at", key.lastUsedAt());
    optional(json, "rotated_at", key.rotatedAt());
    optional(json, "previous_valid_until", key.previousValidUntil());
    optional(json, "revoked_at", key.revokedAt());
    return json;
  }

  private static String status(ApiKey key, Instant now) {
    if (key.revokedAt() != null) {
      return "revoked";
    }
    if (key.expiresAt() != null && !now.isBefore(key.expiresAt())) {
      return "expired";
    }
    return "active";
  }

  private static void optional(JsonObjectBuilder json, String name, Object value) {
    if (value == null) {
      json.addNull(name);
    } else {
      json.add(name, value.toString());
    }
  }
}
