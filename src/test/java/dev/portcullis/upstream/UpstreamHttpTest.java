package dev.portcullis.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import jakarta.json.JsonObject;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link UpstreamHttp} against a real HTTP server on loopback. */
class UpstreamHttpTest {

  static HttpServer server;
  static String base;
  final UpstreamHttp http = new UpstreamHttp();

  {
    http.settings =
        new UpstreamSettings(
            List.of(), Duration.ofSeconds(1), Duration.ofMinutes(10), Duration.ofSeconds(30));
  }

  @BeforeAll
  static void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.createContext("/json", x -> answer(x, 200, "{\"ok\":true}"));
    server.createContext("/broken", x -> answer(x, 503, "down"));
    server.createContext("/notjson", x -> answer(x, 200, "<html>"));
    server.createContext(
        "/redirect",
        x -> {
          x.getResponseHeaders().add("Location", base + "/json");
          answer(x, 302, "");
        });
    server.createContext(
        "/slow",
        x -> {
          sleep(3000);
          answer(x, 200, "{}");
        });
    server.createContext(
        "/dribble",
        x -> {
          x.sendResponseHeaders(200, 0);
          try (OutputStream out = x.getResponseBody()) {
            for (int i = 0; i < 30; i++) {
              out.write(' ');
              out.flush();
              sleep(100);
            }
          }
        });
    server.createContext("/huge", x -> answer(x, 200, "[" + "1,".repeat(600_000) + "1]"));
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  static void answer(com.sun.net.httpserver.HttpExchange x, int status, String body)
      throws java.io.IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private UpstreamHttp.Answer get(String path) {
    return http.exchange(HttpRequest.newBuilder(URI.create(base + path)).GET(), "test");
  }

  @Test
  void parsesJson() {
    var answer = get("/json");
    assertThat(answer.status()).isEqualTo(200);
    assertThat(((JsonObject) answer.json()).getBoolean("ok")).isTrue();
    assertThat(get("/notjson").json()).isNull();
  }

  @Test
  void aServerErrorMeansUnavailable() {
    assertThatThrownBy(() -> get("/broken"))
        .isInstanceOf(ProviderUnavailableException.class)
        .hasMessage("test_status_503");
  }

  @Test
  void neverFollowsARedirect() {
    assertThat(get("/redirect").status()).isEqualTo(302);
  }

  @Test
  void aSlowOrDribblingAnswerEndsAtTheTimeout() {
    for (String path : List.of("/slow", "/dribble")) {
      long started = System.nanoTime();
      assertThatThrownBy(() -> get(path))
          .as(path)
          .isInstanceOf(ProviderUnavailableException.class)
          .hasMessage("test_timeout");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }
  }

  @Test
  void refusesAHugeBodyAndUrlsItMayNotCall() {
    assertThatThrownBy(() -> get("/huge"))
        .isInstanceOf(SignInRefusedException.class)
        .hasMessage("test_body_too_large");
    assertThatThrownBy(
            () ->
                http.exchange(
                    HttpRequest.newBuilder(URI.create("http://example.com/x")).GET(), "test"))
        .isInstanceOf(SignInRefusedException.class);
  }

  @Test
  void nothingListeningIsUnavailable() throws Exception {
    int port;
    try (var socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    assertThatThrownBy(
            () ->
                http.exchange(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/x")).GET(),
                    "test"))
        .isInstanceOf(ProviderUnavailableException.class)
        .hasMessage("test_unreachable");
  }
}
