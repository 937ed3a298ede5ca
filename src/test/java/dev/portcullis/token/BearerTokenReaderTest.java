package dev.portcullis.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.credential.AmbiguousCredentialException;
import dev.portcullis.credential.PresentedCredential;
import dev.portcullis.testing.RequestStandIn;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which {@code Authorization} headers carry a bearer token (RFC 6750 2.1, RFC 9110 11.1). */
class BearerTokenReaderTest {

  private final BearerTokenReader reader = new BearerTokenReader();

  private Optional<PresentedCredential> read(RequestStandIn request) {
    return reader.read(request.build());
  }

  private static RequestStandIn authorization(String... values) {
    var request = RequestStandIn.to("/api/v1/me");
    for (String value : values) {
      request.header("Authorization", value);
    }
    return request;
  }

  private String tokenIn(RequestStandIn request) {
    return read(request)
        .map(BearerTokenCredential.class::cast)
        .map(BearerTokenCredential::token)
        .orElseThrow(() -> new AssertionError("no bearer token read"));
  }

  @Test
  void aRequestWithoutAuthorizationHasNoToken() {
    assertThat(read(RequestStandIn.to("/api/v1/me"))).isEmpty();
  }

  @Test
  void readsTheTokenAfterTheBearerScheme() {
    assertThat(tokenIn(authorization("Bearer eyJhbGciOiJFUzI1NiJ9.e30.c2ln")))
        .isEqualTo("eyJhbGciOiJFUzI1NiJ9.e30.c2ln");
  }

  @Test
  void theSchemeIsCaseInsensitive() {
    assertThat(tokenIn(authorization("bearer abc"))).isEqualTo("abc");
    assertThat(tokenIn(authorization("BEARER abc"))).isEqualTo("abc");
    assertThat(tokenIn(authorization("BeArEr abc"))).isEqualTo("abc");
  }

  @Test
  void otherSchemesAreNotBearerTokens() {
    assertThat(read(authorization("Basic YWxpY2U6c2VjcmV0"))).isEmpty();
    assertThat(read(authorization("ApiKey pk_abc"))).as("the API key reader's").isEmpty();
    assertThat(read(authorization("Token abc"))).isEmpty();
    assertThat(read(authorization("Bearerabc"))).as("no space after the scheme").isEmpty();
    assertThat(read(authorization("Bearer"))).as("the scheme alone").isEmpty();
    assertThat(read(authorization(""))).isEmpty();
  }

  @Test
  void whitespaceAroundTheTokenIsNotPartOfIt() {
    assertThat(tokenIn(authorization("Bearer   abc  "))).isEqualTo("abc");
  }

  @Test
  void aBearerSchemeWithoutATokenIsAnEmptyTokenForTheStoreToRefuse() {
    assertThat(tokenIn(authorization("Bearer "))).isEmpty();
    assertThat(tokenIn(authorization("Bearer    "))).isEmpty();
  }

  @Test
  void theReaderDoesNotJudgeTheTokenItself() {
    assertThat(tokenIn(authorization("Bearer not-a-jwt"))).isEqualTo("not-a-jwt");
    assertThat(tokenIn(authorization("Bearer a b"))).isEqualTo("a b");
  }

  @Test
  void twoAuthorizationHeadersAreAmbiguous() {
    assertThatThrownBy(() -> read(authorization("Bearer abc", "Bearer abc")))
        .isInstanceOf(AmbiguousCredentialException.class);
  }

  @Test
  void twoAuthorizationHeadersAreAmbiguousWhateverTheirSchemes() {
    assertThatThrownBy(() -> read(authorization("Bearer abc", "ApiKey pk_abc")))
        .isInstanceOf(AmbiguousCredentialException.class);
    assertThatThrownBy(() -> read(authorization("Basic YWxpY2U6c2VjcmV0", "Basic Ym9iOng=")))
        .isInstanceOf(AmbiguousCredentialException.class);
  }

  @Test
  void otherHeadersCarryNoBearerToken() {
    assertThat(read(RequestStandIn.to("/api/v1/me").header("X-API-Key", "Bearer abc"))).isEmpty();
    assertThat(read(RequestStandIn.to("/api/v1/me").header("Proxy-Authorization", "Bearer abc")))
        .isEmpty();
  }

  @Test
  void theCredentialNeverPrintsItsToken() {
    assertThat(read(authorization("Bearer secret-token-value")).orElseThrow())
        .asString()
        .doesNotContain("secret-token-value");
  }
}
