package dev.portcullis.it;

import static dev.portcullis.it.Api.bearer;
import static dev.portcullis.it.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, item 2: an API key's audience is never asserted by the client. On a server of its own
 * whose one trusted proxy is 127.0.0.1, a key bound to {@code billing-service} is refused on
 * Portcullis' own API whatever {@code X-Audience} says (even through the proxy); the forward-auth
 * endpoint honours the header from the trusted proxy only, and a raw socket bound to 127.0.0.2
 * plays a client that is not the proxy.
 */
class ForwardAuthIT {

  private static final String PASSWORD = "Forward-Auth-Pass1";
  private static final String AUDIENCE = "billing-service";

  private static PortcullisServer server;
  private static Api api;
  private static String owner;
  private static String billingKey;
  private static String plainKey;

  @BeforeAll
  static void start() {
    assumeTrue(
        System.getProperty("it.baseUrl", "").isBlank(),
        "needs a server of its own with a trusted proxy");
    server =
        PortcullisServer.start("forwardauth", Map.of("PORTCULLIS_TRUSTED_PROXIES", "127.0.0.1"));
    api = new Api(server);
    owner = unique("billing");
    api.createUser(owner, PASSWORD, "user");
    String token = api.login(owner, PASSWORD).getString("access_token");
    billingKey =
        key(
            token,
            "{\"name\":\"billing\",\"scopes\":[\"user\"],\"audience\":\"" + AUDIENCE + "\"}");
    plainKey = key(token, "{\"name\":\"plain\",\"scopes\":[\"user\"]}");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop();
    }
  }

  private static String key(String token, String body) {
    var reply = api.post("/api/v1/keys", body, "Authorization", bearer(token));
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply.json().getString("key");
  }

  @Test
  void onPortcullisOwnApiTheAudienceIsAlwaysPortcullis() {
    assertThat(api.get("/api/v1/me", "X-API-Key", billingKey).status()).isEqualTo(401);
    var asserted = api.get("/api/v1/me", "X-API-Key", billingKey, "X-Audience", AUDIENCE);
    assertThat(asserted.status())
        .as("the issue's attack: the client names the audience")
        .isEqualTo(401);
    assertThat(asserted.code()).isEqualTo("INVALID_API_KEY");
    assertThat(api.get("/api/v1/keys", "X-API-Key", billingKey, "X-Audience", AUDIENCE).status())
        .isEqualTo(401);
    assertThat(api.get("/api/v1/me", "X-API-Key", plainKey, "X-Audience", AUDIENCE).status())
        .as("a key for any audience is unaffected by the header")
        .isEqualTo(200);
    assertThat(
            api.get("/api/v1/me", "X-API-Key", plainKey, "X-Audience", "a", "X-Audience", "b")
                .status())
        .as("an ignored header is ignored, repeated or not")
        .isEqualTo(200);
  }

  @Test
  void forwardAuthHonoursTheAudienceTheTrustedProxySets() {
    var verified = api.get("/api/v1/auth/verify", "X-API-Key", billingKey, "X-Audience", AUDIENCE);
    assertThat(verified.status()).isEqualTo(200);
    assertThat(verified.header("X-Auth-User")).isEqualTo(owner);
    assertThat(verified.header("X-Auth-Groups")).isEqualTo("user");
    assertThat(
            api.get("/api/v1/auth/verify", "X-API-Key", billingKey, "X-Audience", "reports")
                .status())
        .as("another service")
        .isEqualTo(401);
    assertThat(api.get("/api/v1/auth/verify", "X-API-Key", billingKey).status())
        .as("no audience named: Portcullis")
        .isEqualTo(401);
    assertThat(
            api.get(
                    "/api/v1/auth/verify",
                    "X-API-Key",
                    billingKey,
                    "X-Audience",
                    AUDIENCE,
                    "X-Audience",
                    "reports")
                .status())
        .as("two audiences are ambiguous")
        .isEqualTo(400);
  }

  @Test
  void forwardAuthIgnoresTheAudienceAClientSendsItself() {
    int port = URI.create(server.baseUrl()).getPort();
    String direct = rawVerify("127.0.0.2", port, billingKey, AUDIENCE);
    assertThat(direct).as("from a peer that is not the proxy").startsWith("HTTP/1.1 401");
    assertThat(direct).contains("INVALID_API_KEY").doesNotContain(billingKey);
    assertThat(rawVerify("127.0.0.2", port, plainKey, AUDIENCE))
        .as("positive control: the same socket with a key for any audience")
        .startsWith("HTTP/1.1 200");
    assertThat(rawVerify("127.0.0.1", port, billingKey, AUDIENCE))
        .as("positive control: the same socket from the proxy")
        .startsWith("HTTP/1.1 200");
  }

  /** {@code GET /api/v1/auth/verify} over a socket bound to {@code localAddress}. */
  private static String rawVerify(String localAddress, int port, String key, String audience) {
    String request =
        "GET /api/v1/auth/verify HTTP/1.1\r\nHost: 127.0.0.1:"
            + port
            + "\r\nX-API-Key: "
            + key
            + "\r\nX-Audience: "
            + audience
            + "\r\nConnection: close\r\n\r\n";
    return Api.rawExchange(localAddress, port, request.getBytes(StandardCharsets.US_ASCII));
  }
}
