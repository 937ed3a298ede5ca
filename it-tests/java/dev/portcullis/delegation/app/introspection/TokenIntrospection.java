package dev.portcullis.delegation.app.introspection;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonException;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Asks Portcullis' introspection endpoint (RFC 7662) about a token, authenticating as this resource
 * server's own confidential client with HTTP Basic (RFC 6749 2.3.1: id and secret form-encoded,
 * then base64). Settings from MicroProfile Config: {@code rs.introspection-endpoint} (Portcullis'
 * {@code introspection_endpoint}), {@code rs.client-id} and {@code rs.client-secret} (from the
 * environment, {@code RS_CLIENT_SECRET}, never the WAR). Thread-safe.
 */
@ApplicationScoped
public class TokenIntrospection {

  /** Portcullis' answer: its status, its body, and whether it says {@code "active": true}. */
  public record Answer(int status, String body, boolean active) {}

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  @Inject
  @ConfigProperty(name = "rs.introspection-endpoint")
  String endpoint;

  @Inject
  @ConfigProperty(name = "rs.client-id")
  String clientId;

  @Inject
  @ConfigProperty(name = "rs.client-secret")
  String clientSecret;

  /** Introspects {@code token}, which this server received as a bearer access token. */
  public Answer introspect(String token) {
    String credentials = form(clientId) + ":" + form(clientSecret);
    var request =
        HttpRequest.newBuilder(URI.create(endpoint))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .header(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "token=" + form(token) + "&token_type_hint=access_token"))
            .build();
    try {
      var response = client.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.body(), isActive(response));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static boolean isActive(HttpResponse<String> response) {
    if (response.statusCode() != 200) {
      return false;
    }
    try (var reader = Json.createReader(new StringReader(response.body()))) {
      return reader.readObject().getBoolean("active", false);
    } catch (JsonException | ClassCastException e) {
      return false;
    }
  }

  private static String form(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
