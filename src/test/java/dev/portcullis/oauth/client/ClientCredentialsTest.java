package dev.portcullis.oauth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.oauth.wire.OAuthError;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How {@link ClientCredentials} reads each RFC 6749 2.3 method, and what it refuses. */
class ClientCredentialsTest {

  static String basic(String rawPair) {
    return "Basic " + Base64.getEncoder().encodeToString(rawPair.getBytes(StandardCharsets.UTF_8));
  }

  static MultivaluedMap<String, String> form(String... pairs) {
    var form = new MultivaluedHashMap<String, String>();
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      form.add(pairs[i], pairs[i + 1]);
    }
    return form;
  }

  @Test
  void readsClientSecretBasic() {
    var p = ClientCredentials.read(basic("web:s3cret"), form("grant_type", "client_credentials"));
    assertThat(p.clientId()).isEqualTo("web");
    assertThat(p.secret()).isEqualTo("s3cret");
    assertThat(p.method()).isEqualTo(ClientAuthMethod.CLIENT_SECRET_BASIC);
    assertThat(p.malformed()).isFalse();
  }

  @Test
  void formDecodesBothPartsOfBasic() {
    // RFC 6749 2.3.1: id and secret are form-encoded before they are joined with ':'
    var p = ClientCredentials.read(basic("my%3Aapp:a%2Bb+c%3Ad%25"), form());
    assertThat(p.clientId()).isEqualTo("my:app");
    assertThat(p.secret()).isEqualTo("a+b c:d%");
  }

  @Test
  void theSchemeIsCaseInsensitiveAndTheSecretMayContainAColon() {
    var p =
        ClientCredentials.read(
            "bAsIc " + Base64.getEncoder().encodeToString("web:a:b".getBytes()), form());
    assertThat(p.clientId()).isEqualTo("web");
    assertThat(p.secret()).isEqualTo("a:b");
  }

  @Test
  void readsClientSecretPost() {
    var p = ClientCredentials.read(null, form("client_id", "web", "client_secret", "s3cret"));
    assertThat(p.clientId()).isEqualTo("web");
    assertThat(p.secret()).isEqualTo("s3cret");
    assertThat(p.method()).isEqualTo(ClientAuthMethod.CLIENT_SECRET_POST);
  }

  @Test
  void readsAPublicClient() {
    var p = ClientCredentials.read(null, form("client_id", "app", "code", "x"));
    assertThat(p.clientId()).isEqualTo("app");
    assertThat(p.secret()).isNull();
    assertThat(p.method()).isEqualTo(ClientAuthMethod.NONE);
  }

  @Test
  void nothingPresentedIsNoMethod() {
    assertThat(ClientCredentials.read(null, form()).method()).isNull();
    assertThat(ClientCredentials.read(null, null).method()).isNull();
    assertThat(ClientCredentials.read(null, form("client_id", "")).method())
        .as("an empty parameter is an absent one (RFC 6749 3.1)")
        .isNull();
  }

  @Test
  void anotherAuthorizationSchemeIsNotClientAuthentication() {
    var p = ClientCredentials.read("Bearer abc.def.ghi", form("client_id", "app"));
    assertThat(p.method()).isEqualTo(ClientAuthMethod.NONE);
    assertThat(p.clientId()).isEqualTo("app");
  }

  @Test
  void aBasicIdRepeatedInTheFormIsFine() {
    var p = ClientCredentials.read(basic("web:s"), form("client_id", "web"));
    assertThat(p.method()).isEqualTo(ClientAuthMethod.CLIENT_SECRET_BASIC);
  }

  @Test
  void twoMethodsAtOnceAreAnInvalidRequest() {
    assertInvalidRequest(() -> ClientCredentials.read(basic("web:s"), form("client_secret", "s")));
    assertInvalidRequest(
        () ->
            ClientCredentials.read(basic("web:s"), form("client_id", "web", "client_secret", "s")));
    assertInvalidRequest(() -> ClientCredentials.read(basic("web:s"), form("client_id", "other")));
  }

  @Test
  void aRepeatedParameterOrASecretWithoutIdIsAnInvalidRequest() {
    assertInvalidRequest(
        () -> ClientCredentials.read(null, form("client_id", "a", "client_id", "b")));
    assertInvalidRequest(
        () ->
            ClientCredentials.read(
                null, form("client_id", "a", "client_secret", "s", "client_secret", "s")));
    assertInvalidRequest(() -> ClientCredentials.read(null, form("client_secret", "s")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Basic", "Basic ", "Basic !!!", "Basic d2Vi", "Basic OnNlY3JldA=="})
  void anUndecodableBasicHeaderIsMalformed(String header) {
    // d2Vi = "web" (no colon), OnNlY3JldA== = ":secret" (no id)
    var p = ClientCredentials.read(header, form());
    assertThat(p.malformed()).as(header).isTrue();
    assertThat(p.method()).isEqualTo(ClientAuthMethod.CLIENT_SECRET_BASIC);
  }

  @Test
  void invalidUtf8OrPercentEncodingInBasicIsMalformed() {
    var bytes = new byte[] {'w', 'e', 'b', ':', (byte) 0xC3, (byte) 0x28};
    assertThat(
            ClientCredentials.read("Basic " + Base64.getEncoder().encodeToString(bytes), form())
                .malformed())
        .isTrue();
    assertThat(ClientCredentials.read(basic("web:%zz"), form()).malformed()).isTrue();
  }

  @Test
  void aPresentedSecretIsNeverPrinted() {
    var p = ClientCredentials.read(null, form("client_id", "web", "client_secret", "s3cret-v4l"));
    assertThat(p.toString()).contains("web").doesNotContain("s3cret-v4l");
  }

  private static void assertInvalidRequest(Runnable read) {
    assertThatThrownBy(read::run)
        .isInstanceOfSatisfying(
            OAuthError.class,
            e -> {
              assertThat(e.error()).isEqualTo("invalid_request");
              assertThat(e.status()).isEqualTo(400);
            });
  }
}
