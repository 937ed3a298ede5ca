package dev.portcullis.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A throw-away self-signed certificate for 127.0.0.1 (made with the JDK's keytool) for a test
 * server's HTTPS listener, and HTTP clients that trust it. Test fixtures only.
 */
final class SelfSignedTls {

  static final String PASSWORD = "test-only-keystore";

  private SelfSignedTls() {}

  /** A new PKCS12 keystore {@code target/it/tls/<name>.p12} holding the key {@code portcullis}. */
  static Path keystore(String name) throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "it", "tls")).toAbsolutePath();
    Path store = dir.resolve(name + ".p12");
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
                PASSWORD,
                "-keypass",
                PASSWORD)
            .redirectErrorStream(true)
            .start();
    assertThat(process.waitFor()).as(new String(process.getInputStream().readAllBytes())).isZero();
    return store;
  }

  /** A client speaking {@code version} over TLS that trusts any certificate. */
  static HttpClient client(HttpClient.Version version) throws Exception {
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
    return HttpClient.newBuilder()
        .version(version)
        .sslContext(tls)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }
}
