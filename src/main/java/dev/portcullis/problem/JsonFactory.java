package dev.portcullis.problem;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonConfig;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.spi.JsonProvider;
import java.io.Reader;
import java.io.StringReader;
import java.util.Map;

/**
 * {@link jakarta.json.Json}'s factory methods on a provider looked up once. {@code Json}'s own look
 * the provider up on every call (a service-loader scan of the class path), which was the largest
 * cost of a small JSON response under load; use these instead.
 *
 * <p>{@link #createStrictReader} reads request bodies: an object with the same member name twice is
 * refused (JSON-P 2.1 {@link JsonConfig#KEY_STRATEGY} {@link JsonConfig.KeyStrategy#NONE}), at
 * every depth, so no two components can disagree on which of the two values a request meant (RFC
 * 8259 4 leaves that to the implementation; a proxy or WAF that reads the first and Portcullis the
 * last would see different requests). Thread-safe.
 */
public final class JsonFactory {

  private static final JsonProvider PROVIDER = JsonProvider.provider();

  private static final JsonReaderFactory STRICT_READERS =
      PROVIDER.createReaderFactory(Map.of(JsonConfig.KEY_STRATEGY, JsonConfig.KeyStrategy.NONE));

  private JsonFactory() {}

  public static JsonObjectBuilder createObjectBuilder() {
    return PROVIDER.createObjectBuilder();
  }

  public static JsonObjectBuilder createObjectBuilder(JsonObject object) {
    return PROVIDER.createObjectBuilder(object);
  }

  public static JsonArrayBuilder createArrayBuilder() {
    return PROVIDER.createArrayBuilder();
  }

  public static JsonReader createReader(Reader reader) {
    return PROVIDER.createReader(reader);
  }

  /** A reader that refuses duplicate member names (a {@code JsonParsingException}). */
  public static JsonReader createStrictReader(Reader reader) {
    return STRICT_READERS.createReader(reader);
  }

  /**
   * Whether the JSON-P provider honours {@link JsonConfig.KeyStrategy#NONE}; checked once at
   * start-up, since a provider that ignored the setting would silently keep the last duplicate.
   */
  public static boolean rejectsDuplicateMembers() {
    try (var reader = createStrictReader(new StringReader("{\"a\":1,\"a\":2}"))) {
      reader.readObject();
      return false;
    } catch (JsonException e) {
      return true;
    }
  }
}
