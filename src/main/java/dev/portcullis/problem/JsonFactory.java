package dev.portcullis.problem;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;
import java.io.Reader;

/**
 * {@link jakarta.json.Json}'s factory methods on a provider looked up once. {@code Json}'s own look
 * the provider up on every call (a service-loader scan of the class path), which was the largest
 * cost of a small JSON response under load; use these instead.
 */
public final class JsonFactory {

  private static final JsonProvider PROVIDER = JsonProvider.provider();

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
}
