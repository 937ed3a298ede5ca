package dev.portcullis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Payara Micro's own endpoints are off unless configured (issue 13, item 14; SECURITY.md
 * "Platform": no monitoring endpoint is exposed without authentication): MicroProfile Metrics,
 * OpenAPI and Health, and Jersey's generated WADL, each get Portcullis' own 404 problem+json, not
 * the server's page or data.
 */
@ExtendWith(SharedServer.class)
class PlatformEndpointsIT {

  private static final String[] PATHS = {
    "/metrics",
    "/metrics/base",
    "/metrics/vendor",
    "/metrics/application",
    "/openapi",
    "/openapi/",
    "/openapi/application.wadl",
    "/openapi/ui",
    "/health",
    "/health/started",
    "/api/application.wadl",
    "/api/application.wadl?detail=true",
    "/.well-known/application.wadl",
    "/health/application.wadl",
  };

  @Test
  void payaraAndJerseyEndpointsAreNotServed(Api api) {
    for (String path : PATHS) {
      var reply = api.get(path);
      assertThat(reply.status()).as(path + " " + reply.body()).isEqualTo(404);
      assertThat(reply.header("Content-Type")).as(path).startsWith("application/problem+json");
      assertThat(reply.code()).as(path).isEqualTo("NOT_FOUND");
    }
  }

  @Test
  void optionsAnswersDescribeNoEndpoint(Api api) {
    var reply =
        api.send(
            HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/v1/me"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    assertThat(reply.header("Content-Type")).doesNotContain("wadl");
    assertThat(reply.body()).doesNotContain("<application", "wadl");
  }

  /**
   * Issue 18: the mechanism is called through Portcullis' own bridge module, resolved once, not
   * looked up through JNDI twice per request by Soteria's (Payara and WildFly both run Soteria).
   */
  @Test
  void theMechanismIsCalledDirectly(Api api) throws IOException {
    var log = api.server().logFile();
    assumeTrue(Files.exists(log), "a server this run started");
    assertThat(Files.readString(log))
        .contains("Jakarta Security: the mechanism is called directly")
        .doesNotContain("Soteria's own bridge stays in place");
  }
}
