package dev.portcullis.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.portcullis.testing.MovableClock;
import jakarta.json.Json;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProviderKeysTest {

  static final ProviderEndpoints ENDPOINTS =
      new ProviderEndpoints(
          URI.create("https://id.example.com/auth"),
          URI.create("https://id.example.com/token"),
          URI.create("https://id.example.com/keys"),
          null,
          null,
          false);

  final MovableClock clock = new MovableClock(Instant.parse("2026-12-03T00:00:00Z"));
  final List<URI> fetched = new ArrayList<>();
  final ProviderKeys keys = new ProviderKeys();
  String published;

  static UpstreamProvider provider(String id) {
    return new UpstreamProvider(
        id,
        ProviderKind.OIDC,
        "https://id.example.com",
        null,
        "c",
        "s",
        id,
        List.of("openid"),
        false,
        Set.of("user"),
        Set.of());
  }

  @BeforeEach
  void wire() throws Exception {
    keys.clock = clock;
    keys.settings =
        new UpstreamSettings(
            List.of(), Duration.ofSeconds(10), Duration.ofMinutes(10), Duration.ofSeconds(30));
    keys.http =
        new UpstreamHttp() {
          @Override
          Answer exchange(HttpRequest.Builder request, String what) {
            fetched.add(request.build().uri());
            return new Answer(200, Json.createReader(new StringReader(published)).read());
          }
        };
    published = new JWKSet(key("k1").toPublicJWK()).toString();
  }

  static RSAKey key(String kid) throws Exception {
    return new RSAKeyGenerator(2048).keyID(kid).generate();
  }

  @Test
  void anUnknownKidRefetchesAtMostOncePerInterval() throws Exception {
    var corp = provider("corp");
    assertThat(keys.find(corp, ENDPOINTS, "k1")).isPresent();
    for (int i = 0; i < 50; i++) {
      assertThat(keys.find(corp, ENDPOINTS, "made-up-" + i)).isEmpty();
    }
    assertThat(fetched).hasSize(1);
    published = new JWKSet(List.of(key("k1").toPublicJWK(), key("k2").toPublicJWK())).toString();
    clock.advance(Duration.ofSeconds(31));
    assertThat(keys.find(corp, ENDPOINTS, "k2")).isPresent();
    assertThat(fetched).hasSize(2);
  }

  @Test
  void keySetsArePartitionedByProvider() throws Exception {
    assertThat(keys.find(provider("corp"), ENDPOINTS, "k1")).isPresent();
    published = new JWKSet(key("k9").toPublicJWK()).toString();
    assertThat(keys.find(provider("other"), ENDPOINTS, "k1")).isEmpty();
    assertThat(keys.find(provider("corp"), ENDPOINTS, "k9")).isEmpty();
  }

  @Test
  void dropsPrivateAndEncryptionKeys() throws Exception {
    published =
        new JWKSet(
                List.of(
                    key("private"),
                    new RSAKey.Builder(key("enc").toRSAPublicKey())
                        .keyID("enc")
                        .keyUse(com.nimbusds.jose.jwk.KeyUse.ENCRYPTION)
                        .build()))
            .toString(false);
    assertThat(keys.find(provider("corp"), ENDPOINTS, "private")).isEmpty();
    assertThat(keys.find(provider("corp"), ENDPOINTS, "enc")).isEmpty();
  }

  @Test
  void aMalformedKeyIsSkippedAndAMalformedSetRefused() {
    published = "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"k1\",\"n\":\"!!\"}]}";
    assertThat(keys.find(provider("corp"), ENDPOINTS, "k1")).isEmpty();
    published = "{\"keys\":5}";
    assertThatThrownBy(() -> keys.find(provider("other"), ENDPOINTS, "k1"))
        .isInstanceOf(SignInRefusedException.class);
  }
}
