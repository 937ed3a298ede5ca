package dev.portcullis.problem;

import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads JSON request bodies with Jakarta JSON Processing and turns every malformed body or field
 * into a 400 {@code VALIDATION_FAILED} problem, the same on every container. A member name that
 * appears twice in one object, at any depth, is such a malformed body ({@link
 * JsonFactory#createStrictReader}).
 *
 * <p>Usage: {@code var body = JsonBodies.object(text); String name =
 * JsonBodies.requiredString(body, "username");}
 */
public final class JsonBodies {

  private JsonBodies() {}

  /** Parses a request body that must be one JSON object. */
  public static JsonObject object(String body) {
    if (body == null || body.isBlank()) {
      throw ProblemException.validation("The request body must be a JSON object");
    }
    try (var reader = JsonFactory.createStrictReader(new StringReader(body))) {
      return reader.readObject();
    } catch (JsonParsingException e) {
      throw ProblemException.validation(
          parsesWithDuplicates(body)
              ? "The request body names a member twice"
              : "The request body is not valid JSON");
    } catch (JsonException | IllegalStateException e) {
      throw ProblemException.validation("The request body must be a JSON object");
    }
  }

  /** Whether a body the strict reader refused is valid JSON once duplicates are allowed. */
  private static boolean parsesWithDuplicates(String body) {
    try (var reader = JsonFactory.createReader(new StringReader(body))) {
      reader.readObject();
      return true;
    } catch (JsonException | IllegalStateException e) {
      return false;
    }
  }

  /** A string member that must be present and non-empty. */
  public static String requiredString(JsonObject body, String name) {
    return optionalString(body, name)
        .orElseThrow(() -> ProblemException.validation("'" + name + "' is required"));
  }

  /** A string member that may be absent or null; any other type is refused. */
  public static Optional<String> optionalString(JsonObject body, String name) {
    JsonValue value = body.get(name);
    if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
      return Optional.empty();
    }
    if (!(value instanceof JsonString string)) {
      throw ProblemException.validation("'" + name + "' must be a string");
    }
    return Optional.of(string.getString()).filter(s -> !s.isEmpty());
  }

  /** A boolean member, or {@code fallback} when absent. */
  public static boolean optionalBoolean(JsonObject body, String name, boolean fallback) {
    JsonValue value = body.get(name);
    if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
      return fallback;
    }
    if (value.getValueType() == JsonValue.ValueType.TRUE) {
      return true;
    }
    if (value.getValueType() == JsonValue.ValueType.FALSE) {
      return false;
    }
    throw ProblemException.validation("'" + name + "' must be true or false");
  }

  /** An array of strings, or empty when absent. */
  public static List<String> stringList(JsonObject body, String name) {
    JsonValue value = body.get(name);
    if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw ProblemException.validation("'" + name + "' must be an array of strings");
    }
    var result = new ArrayList<String>();
    for (JsonValue item : array) {
      if (!(item instanceof JsonString string)) {
        throw ProblemException.validation("'" + name + "' must be an array of strings");
      }
      result.add(string.getString());
    }
    return result;
  }
}
