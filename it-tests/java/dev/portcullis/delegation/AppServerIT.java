package dev.portcullis.delegation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The harness of the delegation ITs, without a Portcullis: the three test applications build,
 * deploy side by side on one {@link AppServer} and answer as configured before any provider is
 * involved (no token: 401; public pages: 200); and {@link AppServer#stop()} leaves no process, no
 * listening port and no runtime directory behind, while the log stays for reading. Secrets given as
 * system properties appear neither in the log nor on a command line.
 */
class AppServerIT {

  private static final String SECRET = "app-server-it-secret-" + OAuthClients.random(12);

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @Test
  void deploysTheTestApplicationsAndLeavesNothingBehind() throws Exception {
    var dir = AppServer.workDirOf("delegation-harness");
    int port = AppServer.freePort();
    var unreachable = "http://127.0.0.1:9";
    AppServer server =
        AppServer.start(
            "delegation-harness",
            port,
            Map.of(
                "oidc.provider-uri",
                unreachable,
                "oidc.client-id",
                "harness-oidc",
                "oidc.client-secret",
                SECRET,
                "mp.jwt.verify.publickey.location",
                unreachable + "/.well-known/jwks.json",
                "mp.jwt.verify.issuer",
                unreachable,
                "mp.jwt.verify.audiences",
                "harness-api",
                "rs.introspection-endpoint",
                unreachable + "/oauth2/introspect",
                "rs.client-id",
                "harness-rs",
                "rs.client-secret",
                SECRET),
            List.of(TestApps.oidc(dir), TestApps.mpJwt(dir), TestApps.introspection(dir)));
    List<ProcessHandle> processes;
    try {
      assertThat(server.baseUrl()).isEqualTo("http://localhost:" + port);
      processes = server.processes();
      assertThat(processes).as("the watchdog shell and the JVM").hasSizeGreaterThanOrEqualTo(2);

      assertThat(status(server, "/mpjwt/api/whoami")).as("MP-JWT without a token").isEqualTo(401);
      var resource = get(server, "/rs/resource");
      assertThat(resource.statusCode()).as("the resource server without a token").isEqualTo(401);
      assertThat(resource.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
      assertThat(status(server, "/oidc/signed-out")).as("an unprotected page").isEqualTo(200);
      assertThat(status(server, "/oidc/ping.txt")).isEqualTo(200);

      assertThat(commandLines())
          .as("no secret on a command line")
          .noneMatch(c -> c.contains(SECRET));
    } finally {
      server.stop();
    }

    assertThat(processes).as("no process left").noneMatch(ProcessHandle::isAlive);
    assertThat(listening(port)).as("nothing listens on the port any more").isFalse();
    assertThat(Files.exists(dir.resolve("runtime"))).as("runtime directory deleted").isFalse();
    assertThat(Files.exists(dir.resolve("system.properties"))).isFalse();
    assertThat(server.logFile()).exists();
    assertThat(Files.readString(server.logFile())).contains("ready in").doesNotContain(SECRET);
  }

  private int status(AppServer server, String path) throws IOException, InterruptedException {
    return get(server, path).statusCode();
  }

  private HttpResponse<String> get(AppServer server, String path)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> commandLines() {
    return ProcessHandle.current()
        .descendants()
        .map(p -> p.info().commandLine().orElse(""))
        .toList();
  }

  private static boolean listening(int port) {
    try (var socket = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
