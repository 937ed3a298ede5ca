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
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A server of its own, with a short access-token lifetime and no clock leeway, restarted in the
 * middle: users, signing keys, refresh families and revocations survive the restart, and a token
 * past its {@code exp} is refused with {@code TOKEN_EXPIRED}.
 */
class ServerLifecycleIT {

  private static final Duration ACCESS_TTL = Duration.ofSeconds(75);
  private static final String KEYSTORE_PASSWORD = "test-only-keystore";
  private static PortcullisServer server;
  private static int httpsPort;

  /** A throw-away self-signed certificate for 127.0.0.1, made with the JDK's keytool. */
  private static Path keystore() throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "it", "tls")).toAbsolutePath();
    Path store = dir.resolve("lifecycle.p12");
    Files.deleteIfExists(store);
    var keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    var process =
        new ProcessBuilder(
                keytool,
                "-genkeypair",
                "-alias",
                "portcullis",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "SAN=ip:127.0.0.1",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                KEYSTORE_PASSWORD,
                "-keypass",
                KEYSTORE_PASSWORD)
            .redirectErrorStream(true)
            .start();
    assertThat(process.waitFor()).as(new String(process.getInputStream().readAllBytes())).isZero();
    return store;
  }

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
                keystore().toString(),
                "PORTCULLIS_TLS_KEYSTORE_PASSWORD",
                KEYSTORE_PASSWORD,
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

    assertThat(api.get("/api/v1/me", "Authorization", bearer(keptToken)).status())
        .as("signing key survived the restart")
        .isEqualTo(200);
    assertThat(api.get("/.well-known/jwks.json").body()).contains(kid);
    var stillRevoked =
        api.get("/api/v1/me", "Authorization", bearer(revoked.getString("access_token")));
    assertThat(stillRevoked.status()).as("revocation survived the restart").isEqualTo(401);
    assertThat(api.login(name, "Surv1ve-Restart").getString("access_token"))
        .as("user survived the restart")
        .isNotBlank();
    var refreshed =
        api.post(
            "/api/v1/auth/refresh",
            "{\"refresh_token\":\"" + kept.getString("refresh_token") + "\"}");
    assertThat(refreshed.status()).as("refresh family survived the restart").isEqualTo(200);

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
    var trustAll =
        new X509TrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    var tls = SSLContext.getInstance("TLS");
    tls.init(null, new TrustManager[] {trustAll}, new SecureRandom());
    var client =
        HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
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
