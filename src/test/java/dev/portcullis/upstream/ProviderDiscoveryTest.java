package dev.portcullis.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

class ProviderDiscoveryTest {

  static final String ISSUER = "https://id.example.com/realms/corp";

  final MovableClock clock = new MovableClock(Instant.parse("2026-12-03T00:00:00Z"));
  final List<URI> fetched = new ArrayList<>();
  final ProviderDiscovery discovery = new ProviderDiscovery();
  String document;
  RuntimeException failure;

  static UpstreamProvider provider(String issuer) {
    return new UpstreamProvider(
        "corp",
        ProviderKind.OIDC,
        issuer,
        null,
        "c",
        "s",
        "Corp",
        List.of("openid"),
        false,
        Set.of("user"),
        Set.of());
  }

  static String document(String issuer, String keys) {
    return Json.createObjectBuilder()
        .add("issuer", issuer)
        .add("authorization_endpoint", issuer + "/auth")
        .add("token_endpoint", issuer + "/token")
        .add("jwks_uri", keys)
        .add("authorization_response_iss_parameter_supported", true)
        .build()
        .toString();
  }

  @BeforeEach
  void wire() {
    discovery.clock = clock;
    discovery.http =
        new UpstreamHttp() {
          @Override
          Answer exchange(HttpRequest.Builder request, String what) {
            fetched.add(request.build().uri());
            if (failure != null) {
              throw failure;
            }
            return new Answer(200, Json.createReader(new StringReader(document)).read());
          }
        };
    document = document(ISSUER, ISSUER + "/certs");
  }

  @Test
  void readsTheDocumentAtTheIssuerAndKeepsIt() {
    var endpoints = discovery.endpoints(provider(ISSUER));
    assertThat(fetched).containsExactly(URI.create(ISSUER + "/.well-known/openid-configuration"));
    assertThat(endpoints.token()).isEqualTo(URI.create(ISSUER + "/token"));
    assertThat(endpoints.issParameterRequired()).isTrue();
    discovery.endpoints(provider(ISSUER));
    assertThat(fetched).hasSize(1);
    clock.advance(Duration.ofHours(2));
    discovery.endpoints(provider(ISSUER));
    assertThat(fetched).hasSize(2);
  }

  @Test
  void aTerminatingSlashOfTheIssuerIsNotDoubled() {
    document = document(ISSUER + "/", ISSUER + "/certs");
    discovery.endpoints(provider(ISSUER + "/"));
    assertThat(fetched).containsExactly(URI.create(ISSUER + "/.well-known/openid-configuration"));
  }

  @Test
  void refusesADocumentOfAnotherIssuer() {
    document = document("https://evil.example.com", ISSUER + "/certs");
    assertThatThrownBy(() -> discovery.endpoints(provider(ISSUER)))
        .isInstanceOf(SignInRefusedException.class)
        .hasMessage("discovery_issuer_mismatch");
  }

  @Test
  void refusesEndpointsPortcullisMayNotCall() {
    document = document(ISSUER, "http://169.254.169.254/latest/meta-data");
    assertThatThrownBy(() -> discovery.endpoints(provider(ISSUER)))
        .isInstanceOf(SignInRefusedException.class)
        .hasMessage("discovery_bad_jwks_uri");
  }

  @Test
  void aFailureIsRememberedForTenSecondsThenTriedAgain() {
    failure = new ProviderUnavailableException("discovery_timeout");
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> discovery.endpoints(provider(ISSUER)))
          .isInstanceOf(ProviderUnavailableException.class);
    }
    assertThat(fetched).hasSize(1);
    failure = null;
    clock.advance(Duration.ofSeconds(11));
    assertThat(discovery.endpoints(provider(ISSUER))).isNotNull();
    assertThat(fetched).hasSize(2);
  }
}
