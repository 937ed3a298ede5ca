package dev.portcullis.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.credential.AmbiguousCredentialException;
import dev.portcullis.credential.PresentedCredential;
import dev.portcullis.testing.ConfigStandIn;
import dev.portcullis.testing.RequestStandIn;
import dev.portcullis.web.RequestPaths;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Where an API key is read from ({@code X-API-Key} or {@code Authorization: ApiKey}, never both,
 * never twice) and when {@code X-Audience} names its audience.
 */
class ApiKeyReaderTest {

  private static final String KEY = "ptc_abcdefghijklmnop_" + "A".repeat(49);

  private final ApiKeyReader reader = new ApiKeyReader();

  @BeforeAll
  static void trustedProxies() {
    ConfigStandIn.install();
  }

  private Optional<PresentedCredential> read(RequestStandIn request) {
    return reader.read(request.build());
  }

  private ApiKeyCredential keyIn(RequestStandIn request) {
    return read(request)
        .map(ApiKeyCredential.class::cast)
        .orElseThrow(() -> new AssertionError("no API key read"));
  }

  private static RequestStandIn api() {
    return RequestStandIn.to("/api/v1/me");
  }

  private static RequestStandIn forwardAuth() {
    return RequestStandIn.to(RequestPaths.FORWARD_AUTH);
  }

  @Test
  void aRequestWithoutKeyHasNoKey() {
    assertThat(read(api())).isEmpty();
  }

  @Test
  void readsTheXApiKeyHeader() {
    assertThat(keyIn(api().header("X-API-Key", KEY)).key()).isEqualTo(KEY);
  }

  @Test
  void readsTheApiKeyAuthorizationScheme() {
    assertThat(keyIn(api().header("Authorization", "ApiKey " + KEY)).key()).isEqualTo(KEY);
  }

  @Test
  void theHeaderNameAndTheSchemeAreCaseInsensitive() {
    assertThat(keyIn(api().header("x-api-key", KEY)).key()).isEqualTo(KEY);
    assertThat(keyIn(api().header("Authorization", "apikey " + KEY)).key()).isEqualTo(KEY);
    assertThat(keyIn(api().header("Authorization", "APIKEY " + KEY)).key()).isEqualTo(KEY);
  }

  @Test
  void otherAuthorizationSchemesAreNotApiKeys() {
    assertThat(read(api().header("Authorization", "Bearer " + KEY))).isEmpty();
    assertThat(read(api().header("Authorization", "Basic YWxpY2U6c2VjcmV0"))).isEmpty();
    assertThat(read(api().header("Authorization", "Api-Key " + KEY))).isEmpty();
    assertThat(read(api().header("Authorization", "ApiKey" + KEY))).as("no space").isEmpty();
  }

  @Test
  void theApiKeySchemeWithoutAKeyIsNoKey() {
    assertThat(read(api().header("Authorization", "ApiKey"))).isEmpty();
    assertThat(read(api().header("Authorization", "ApiKey "))).isEmpty();
  }

  @Test
  void whitespaceAroundTheKeyIsNotPartOfIt() {
    assertThat(keyIn(api().header("X-API-Key", "  " + KEY + " ")).key()).isEqualTo(KEY);
    assertThat(keyIn(api().header("Authorization", "ApiKey   " + KEY)).key()).isEqualTo(KEY);
  }

  @Test
  void aBlankXApiKeyIsStillAKeyForTheStoreToRefuse() {
    assertThat(keyIn(api().header("X-API-Key", "")).key()).isEmpty();
    assertThat(keyIn(api().header("X-API-Key", "   ")).key()).isEmpty();
  }

  @Test
  void theReaderDoesNotJudgeTheKeyItself() {
    assertThat(keyIn(api().header("X-API-Key", "not-a-key")).key()).isEqualTo("not-a-key");
    assertThat(keyIn(api().header("X-API-Key", "a b")).key()).isEqualTo("a b");
  }

  @Test
  void aRepeatedXApiKeyIsAmbiguous() {
    assertThatThrownBy(() -> read(api().header("X-API-Key", KEY).header("X-API-Key", KEY)))
        .isInstanceOf(AmbiguousCredentialException.class);
  }

  @Test
  void aKeyInBothHeadersIsAmbiguous() {
    assertThatThrownBy(
            () -> read(api().header("X-API-Key", KEY).header("Authorization", "ApiKey " + KEY)))
        .isInstanceOf(AmbiguousCredentialException.class);
  }

  @Test
  void twoApiKeyAuthorizationsAreAmbiguous() {
    assertThatThrownBy(
            () ->
                read(
                    api()
                        .header("Authorization", "ApiKey " + KEY)
                        .header("Authorization", "ApiKey other")))
        .isInstanceOf(AmbiguousCredentialException.class);
  }

  @Test
  void anApiKeyBesideAnotherAuthorizationIsOneKeyHere() {
    // Two Authorization headers are refused by the bearer reader, first in the chain.
    assertThat(
            keyIn(api().header("Authorization", "Basic eA==").header("Authorization", "ApiKey k"))
                .key())
        .isEqualTo("k");
  }

  @Test
  void keepsTheClientAddressForRateLimits() {
    assertThat(keyIn(api().header("X-API-Key", KEY)).clientIp()).isEqualTo(RequestStandIn.CLIENT);
    assertThat(
            keyIn(
                    api()
                        .from(ConfigStandIn.TRUSTED_PROXY)
                        .header("X-Forwarded-For", "198.51.100.9")
                        .header("X-API-Key", KEY))
                .clientIp())
        .as("behind a trusted proxy")
        .isEqualTo("198.51.100.9");
  }

  @Test
  void aTrustedProxyNamesTheAudienceOnForwardAuth() {
    var key =
        keyIn(
            forwardAuth()
                .from(ConfigStandIn.TRUSTED_PROXY)
                .header("X-Audience", " billing ")
                .header("X-API-Key", KEY));

    assertThat(key.targetAudience()).isEqualTo("billing");
  }

  @Test
  void theClientsOwnAudienceIsIgnored() {
    var key = keyIn(forwardAuth().header("X-Audience", "billing").header("X-API-Key", KEY));

    assertThat(key.targetAudience()).as("Portcullis itself").isNull();
  }

  @Test
  void anAudienceIsIgnoredOutsideForwardAuthEvenFromATrustedProxy() {
    var key =
        keyIn(
            api()
                .from(ConfigStandIn.TRUSTED_PROXY)
                .header("X-Audience", "billing")
                .header("X-API-Key", KEY));

    assertThat(key.targetAudience()).isNull();
  }

  @Test
  void twoAudiencesFromATrustedProxyAreAmbiguous() {
    assertThatThrownBy(
            () ->
                read(
                    forwardAuth()
                        .from(ConfigStandIn.TRUSTED_PROXY)
                        .header("X-Audience", "billing")
                        .header("X-Audience", "crm")
                        .header("X-API-Key", KEY)))
        .isInstanceOf(AmbiguousCredentialException.class);
  }

  @Test
  void twoAudiencesFromTheClientAreIgnoredLikeOne() {
    var key =
        keyIn(
            forwardAuth()
                .header("X-Audience", "billing")
                .header("X-Audience", "crm")
                .header("X-API-Key", KEY));

    assertThat(key.targetAudience()).isNull();
  }

  @Test
  void anAudienceIsNamedOnlyOnForwardAuthFromATrustedProxy() {
    assertThat(ApiKeyReader.forwardAuthByTrustedProxy("/api/v1/auth/verify", true)).isTrue();
    assertThat(ApiKeyReader.forwardAuthByTrustedProxy("/api/v1/auth/verify", false))
        .as("the client itself")
        .isFalse();
    assertThat(ApiKeyReader.forwardAuthByTrustedProxy("/api/v1/me", true))
        .as("Portcullis' own API, even through the proxy")
        .isFalse();
    assertThat(ApiKeyReader.forwardAuthByTrustedProxy("/api/v1/keys", true)).isFalse();
  }

  @Test
  void theCredentialNeverPrintsItsKey() {
    assertThat(read(api().header("X-API-Key", KEY)).orElseThrow()).asString().doesNotContain(KEY);
  }
}
