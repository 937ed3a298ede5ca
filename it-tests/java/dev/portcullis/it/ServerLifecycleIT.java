package dev.portcullis.it;

import static dev.portcullis.it.Api.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.nimbusds.jwt.SignedJWT;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A server of its own, with a short access-token lifetime and no clock leeway, restarted in the
 * middle: users, signing keys, refresh families and revocations survive the restart, and a token
 * past its {@code exp} is refused with {@code TOKEN_EXPIRED}.
 */
class ServerLifecycleIT {

  /**
   * Short enough that an access token issued before the restart has usually expired when the server
   * is back (a restart took 21-22 s in CI), so the expiry check costs no idle time; what survives
   * the restart is shown with refresh tokens and the key id instead. Where the restart was quicker,
   * the test waits for the rest.
   */
  private static final Duration ACCESS_TTL = Duration.ofSeconds(15);

  private static PortcullisServer server;
  private static int httpsPort;

  private static int freePort() throws Exception {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(
        System.getProperty("it.baseUrl", "").isBlank(),
        "needs a server of its own; not available against an external server");
    httpsPort = freePort();
    server =
        PortcullisServer.start(
            "lifecycle",
            Map.of(
                "PORTCULLIS_TOKEN_ACCESS_TTL",
                ACCESS_TTL.toString(),
                "PORTCULLIS_TOKEN_CLOCK_LEEWAY",
                "PT0S",
                "PORTCULLIS_TRUSTED_PROXIES",
                "127.0.0.1",
                "PORTCULLIS_TLS_KEYSTORE",
                SelfSignedTls.keystore("lifecycle").toString(),
                "PORTCULLIS_TLS_KEYSTORE_PASSWORD",
                SelfSignedTls.PASSWORD,
                "HTTPS_PORT",
                Integer.toString(httpsPort)));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void restartKeepsUsersKeysAndRevocationsAndExpiredTokensAreRefused() throws Exception {
    var api = new Api(server);
    String name = Api.unique("survivor");
    api.createUser(name, "Surv1ve-Restart", "user");
    var kept = api.login(name, "Surv1ve-Restart");
    var revoked = api.login(name, "Surv1ve-Restart");
    assertThat(
            api.post(
                    "/api/v1/auth/logout",
                    null,
                    "Authorization",
                    bearer(revoked.getString("access_token")))
                .status())
        .isEqualTo(204);
    String keptToken = kept.getString("access_token");
    String kid = SignedJWT.parse(keptToken).getHeader().getKeyID();

    server.restart();

    var refreshed =
        api.post(
            "/api/v1/auth/refresh",
            "{\"refresh_token\":\"" + kept.getString("refresh_token") + "\"}");
    assertThat(refreshed.status()).as("refresh family survived the restart").isEqualTo(200);
    String successor = refreshed.json().getString("access_token");
    assertThat(SignedJWT.parse(successor).getHeader().getKeyID())
        .as("the signing key survived the restart")
        .isEqualTo(kid);
    assertThat(api.get("/api/v1/me", "Authorization", bearer(successor)).status()).isEqualTo(200);
    assertThat(api.get("/.well-known/jwks.json").body()).contains(kid);
    var stillRevoked =
        api.post(
            "/api/v1/auth/refresh",
            "{\"refresh_token\":\"" + revoked.getString("refresh_token") + "\"}");
    assertThat(stillRevoked.status()).as("revocation survived the restart").isEqualTo(401);
    assertThat(api.login(name, "Surv1ve-Restart").getString("access_token"))
        .as("user survived the restart")
        .isNotBlank();

    Instant expiry = SignedJWT.parse(keptToken).getJWTClaimsSet().getExpirationTime().toInstant();
    Duration wait = Duration.between(Instant.now(), expiry).plusSeconds(2);
    if (!wait.isNegative()) {
      Thread.sleep(wait.toMillis());
    }
    var expired = api.get("/api/v1/me", "Authorization", bearer(keptToken));
    assertThat(expired.status()).isEqualTo(401);
    assertThat(expired.code()).isEqualTo("TOKEN_EXPIRED");
    assertThat(expired.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
  }

  @Test
  void servesHttpsWithHstsAndTrustsForwardedProtoOnlyFromTrustedProxies() throws Exception {
    var client = SelfSignedTls.client(HttpClient.Version.HTTP_2);
    var reply =
        client.send(
            HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + httpsPort + "/api/v1/auth/login"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        Api.credentials(server.adminUsername(), server.adminPassword())))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(reply.statusCode()).isEqualTo(200);
    assertThat(reply.headers().firstValue("Strict-Transport-Security"))
        .get()
        .asString()
        .contains("max-age=");

    var api = new Api(server);
    var plain = api.get("/health/live");
    assertThat(plain.header("Strict-Transport-Security")).as("plain HTTP gets no HSTS").isNull();
    var proxied = api.get("/health/live", "X-Forwarded-Proto", "https");
    assertThat(proxied.header("Strict-Transport-Security"))
        .as("https at the trusted proxy (127.0.0.1 here)")
        .isNotNull();
  }
}
