package dev.portcullis.oauth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.problem.ProblemException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The registration rules of {@link RedirectUris}, one case per rule. */
class RedirectUrisTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://app.example.com/callback",
        "https://app.example.com:8443/cb?tenant=a",
        "http://127.0.0.1/cb",
        "http://127.0.0.1:8400/cb",
        "http://[::1]:8400/cb",
        "http://localhost:3000/cb",
      })
  void acceptsHttpsAndLoopbackHttpForEveryClient(String uri) {
    assertThat(RedirectUris.valid(uri, false, "redirect_uris[0]")).isEqualTo(uri);
    assertThat(RedirectUris.valid(uri, true, "redirect_uris[0]")).isEqualTo(uri);
  }

  @Test
  void acceptsAPrivateUseSchemeWithADotForPublicClientsOnly() {
    assertThat(RedirectUris.valid("com.example.app:/oauth2redirect", true, "f"))
        .isEqualTo("com.example.app:/oauth2redirect");
    assertThat(RedirectUris.valid("com.example.app://callback", true, "f"))
        .isEqualTo("com.example.app://callback");
    assertThatThrownBy(() -> RedirectUris.valid("com.example.app:/oauth2redirect", false, "f"))
        .isInstanceOf(ProblemException.class)
        .hasMessageContaining("f uses a private-use scheme, which is for public");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "http://app.example.com/cb | http only on a loopback host",
        "http://127.0.0.2/cb | http only on a loopback host",
        "http://LOCALHOST/cb | http only on a loopback host",
        "https://app.example.com/cb#x | must not have a fragment",
        "https://app.example.com/cb# | must not have a fragment",
        "https://user@app.example.com/cb | must not carry user information",
        "https://user:pw@app.example.com/cb | must not carry user information",
        "HTTPS://app.example.com/cb | lower case",
        "/callback | must be an absolute URI",
        "app.example.com/cb | must be an absolute URI",
        "mailto:admin@example.com | must be an absolute URI",
        "com.example.app:callback | must be an absolute URI",
        "javascript:alert(1) | must be an absolute URI",
        "myapp:/cb | private-use scheme such as",
        "ftp://app.example.com/cb | private-use scheme such as",
        "https:///cb | must name a host",
        "https://app_example.com/cb | must name a host",
        "https://app.example.com/c b | printable ASCII",
        "https://app.example.com/caf\u00e9 | printable ASCII",
        "https://app.example.com/%zz | is not a valid URI",
      })
  void refuses(String uri, String reason) {
    assertThatThrownBy(() -> RedirectUris.valid(uri, true, "redirect_uris[3]"))
        .isInstanceOfSatisfying(
            ProblemException.class,
            e -> {
              assertThat(e.problem().status()).isEqualTo(400);
              assertThat(e.problem().code()).isEqualTo("VALIDATION_FAILED");
              assertThat(e.problem().detail()).startsWith("redirect_uris[3] ").contains(reason);
            });
  }

  @Test
  void refusesAnOverLongUri() {
    String base = "https://app.example.com/";
    String fits = base + "a".repeat(512 - base.length());
    assertThat(RedirectUris.valid(fits, false, "f")).isEqualTo(fits);
    assertThatThrownBy(() -> RedirectUris.valid(fits + "a", false, "f"))
        .hasMessageContaining("must be 1-512 characters");
    assertThatThrownBy(() -> RedirectUris.valid("", false, "f"))
        .hasMessageContaining("must be 1-512 characters");
  }

  @Test
  void aListHoldsAtMostTwentyAndNamesTheFailingIndex() {
    var twenty = new ArrayList<String>();
    for (int i = 0; i < 20; i++) {
      twenty.add("https://app.example.com/cb" + i);
    }
    assertThat(RedirectUris.valid(twenty, false, "redirect_uris")).hasSize(20);
    twenty.add("https://app.example.com/cb20");
    assertThatThrownBy(() -> RedirectUris.valid(twenty, false, "redirect_uris"))
        .hasMessageContaining("redirect_uris may name at most 20 URIs");
    assertThatThrownBy(
            () ->
                RedirectUris.valid(
                    List.of("https://a.example/cb", "http://a.example/cb"),
                    false,
                    "post_logout_redirect_uris"))
        .hasMessageContaining("post_logout_redirect_uris[1] may use http only");
  }

  @Test
  void aUriNamedTwiceCountsOnce() {
    assertThat(
            RedirectUris.valid(
                List.of("https://a.example/cb", "https://b.example/cb", "https://a.example/cb"),
                false,
                "redirect_uris"))
        .containsExactly("https://a.example/cb", "https://b.example/cb");
  }
}
