package dev.portcullis.upstream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonStructure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every call Portcullis makes to an upstream provider: one bounded exchange, answered with parsed
 * JSON. Each call has {@code portcullis.upstream.timeout} in all (connecting, waiting, reading the
 * body); redirects are never followed (an endpoint must be the configured or discovered URL
 * itself); only URLs {@link UpstreamSettings#callable} (https, or http to loopback) are called;
 * bodies over 1 MiB are refused. A timeout, a refused connection or a 5xx answer is {@link
 * ProviderUnavailableException}; anything else that is not JSON of the expected shape is {@link
 * SignInRefusedException}. Thread-safe.
 */
@ApplicationScoped
public class UpstreamHttp {

  static final int MAX_BODY_BYTES = 1 << 20;

  @Inject UpstreamSettings settings;

  private final HttpClient client =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** The answer of one call: status and JSON body (null when the body was not JSON). */
  record Answer(int status, JsonStructure json) {}

  /**
   * Sends {@code request} (built by the caller with the URL already checked) and parses the body.
   *
   * @param what what is being called, for messages ("discovery", "keys", "token", "user")
   */
  Answer exchange(HttpRequest.Builder request, String what) {
    URI uri = request.build().uri();
    if (!UpstreamSettings.callable(uri)) {
      throw new SignInRefusedException(what + "_url_not_allowed");
    }
    Duration timeout = settings.timeout();
    HttpResponse<InputStream> response;
    CompletableFuture<HttpResponse<InputStream>> pending =
        client.sendAsync(
            request.timeout(timeout).header("Accept", "application/json").build(),
            HttpResponse.BodyHandlers.ofInputStream());
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      response = pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw new ProviderUnavailableException(what + "_timeout");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProviderUnavailableException(what + "_interrupted");
    } catch (ExecutionException e) {
      throw new ProviderUnavailableException(
          e.getCause() instanceof HttpTimeoutException ? what + "_timeout" : what + "_unreachable");
    }
    if (response.statusCode() >= 500) {
      close(response);
      throw new ProviderUnavailableException(what + "_status_" + response.statusCode());
    }
    byte[] body = readBounded(response, deadline, what);
    return new Answer(response.statusCode(), parse(body));
  }

  private static byte[] readBounded(
      HttpResponse<InputStream> response, long deadline, String what) {
    var reading =
        CompletableFuture.supplyAsync(
            () -> {
              try (InputStream in = response.body()) {
                var out = new ByteArrayOutputStream();
                byte[] buffer = new byte[8192];
                int n;
                while ((n = in.read(buffer)) != -1) {
                  out.write(buffer, 0, n);
                  if (out.size() > MAX_BODY_BYTES) {
                    return null;
                  }
                }
                return out.toByteArray();
              } catch (IOException e) {
                return new byte[0];
              }
            });
    try {
      byte[] body =
          reading.get(
              Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
      if (body == null) {
        throw new SignInRefusedException(what + "_body_too_large");
      }
      return body;
    } catch (TimeoutException e) {
      reading.cancel(true);
      close(response);
      throw new ProviderUnavailableException(what + "_timeout");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProviderUnavailableException(what + "_interrupted");
    } catch (ExecutionException e) {
      throw new ProviderUnavailableException(what + "_unreachable");
    }
  }

  private static JsonStructure parse(byte[] body) {
    if (body.length == 0) {
      return null;
    }
    try (var reader =
        Json.createReader(new StringReader(new String(body, StandardCharsets.UTF_8)))) {
      return reader.read();
    } catch (JsonException | IllegalStateException e) {
      return null;
    }
  }

  private static void close(HttpResponse<InputStream> response) {
    try {
      response.body().close();
    } catch (IOException e) {
      // nothing more to do
    }
  }
}
