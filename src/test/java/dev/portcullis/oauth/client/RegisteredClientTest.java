package dev.portcullis.oauth.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link RegisteredClient#allowsRedirect}: exact matching (RFC 9700 2.1), plus any port on a
 * registered {@code 127.0.0.1} or {@code [::1]} URI for public clients only (RFC 8252 7.3). Every
 * near miss an attacker might try is refused: another port on a confidential client, {@code
 * localhost} for {@code 127.0.0.1}, a trailing slash, another case, an added or changed query, a
 * fragment, user information, percent-encoded dots and slashes, a longer path, a prefix.
 */
class RegisteredClientTest {

  private static final String WEB = "https://app.example.com/callback";
  private static final String LOOPBACK = "http://127.0.0.1:8400/cb";
  private static final String LOOPBACK_V6 = "http://[::1]/cb";
  private static final String NATIVE = "com.example.app:/oauth2redirect";

  private static RegisteredClient client(ClientAuthMethod method, String... redirects) {
    return new RegisteredClient(
        "c1",
        "Client",
        List.of(redirects),
        List.of("https://app.example.com/bye"),
        Set.of(RegisteredClient.AUTHORIZATION_CODE),
        method,
        Set.of("openid"),
        true,
        false,
        AccessTokenProfile.RFC9068,
        Set.of(),
        Optional.empty(),
        Optional.empty(),
        false);
  }

  private final RegisteredClient confidential =
      client(ClientAuthMethod.CLIENT_SECRET_BASIC, WEB, LOOPBACK, "https://app.example.com/q?a=1");
  private final RegisteredClient publicClient =
      client(ClientAuthMethod.NONE, LOOPBACK, LOOPBACK_V6, NATIVE);

  @Test
  void anExactlyRegisteredUriMatches() {
    assertThat(confidential.allowsRedirect(WEB)).isTrue();
    assertThat(confidential.allowsRedirect(LOOPBACK)).isTrue();
    assertThat(confidential.allowsRedirect("https://app.example.com/q?a=1")).isTrue();
    assertThat(publicClient.allowsRedirect(NATIVE)).isTrue();
    assertThat(publicClient.allowsRedirect(LOOPBACK_V6)).isTrue();
  }

  @Test
  void aPublicClientsLoopbackUriMatchesOnAnyPort() {
    assertThat(publicClient.allowsRedirect("http://127.0.0.1:51234/cb")).isTrue();
    assertThat(publicClient.allowsRedirect("http://127.0.0.1/cb")).isTrue();
    assertThat(publicClient.allowsRedirect("http://[::1]:61000/cb")).isTrue();
  }

  @Test
  void aConfidentialClientsLoopbackUriMatchesOnItsOwnPortOnly() {
    assertThat(confidential.allowsRedirect("http://127.0.0.1:8401/cb")).isFalse();
    assertThat(confidential.allowsRedirect("http://127.0.0.1/cb")).isFalse();
    assertThat(confidential.allowsRedirect("http://127.0.0.1:08400/cb")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://localhost:8400/cb", // another loopback name is another URI
        "http://127.0.0.2:8400/cb",
        "http://127.0.0.1:8400/cb/", // trailing slash
        "http://127.0.0.1:8400/CB", // case of the path
        "HTTP://127.0.0.1:8400/cb", // case of the scheme
        "http://127.0.0.1:8400/cb?x=1", // an added query
        "http://127.0.0.1:8400/cb#frag", // a fragment
        "http://127.0.0.1:8400/cb#",
        "http://user@127.0.0.1:8400/cb", // user information
        "http://127.0.0.1:8400/cb/..", // dot segments
        "http://127.0.0.1:8400/x/../cb",
        "http://127.0.0.1:8400/%63b", // percent-encoded unreserved character
        "http://127.0.0.1:8400/cb%2f..%2fevil",
        "http://127.0.0.1:8400/%2e%2e/cb",
        "http://127.0.0.1:8400/cb/evil", // a longer path
        "http://127.0.0.1:8400/c", // a prefix
        "http://[::1]:8400/cb", // another loopback address
        ""
      })
  void nearMissesOfALoopbackUriAreRefusedForAPublicClientToo(String uri) {
    var registered = client(ClientAuthMethod.NONE, "http://127.0.0.1:8400/cb");
    var any = client(ClientAuthMethod.NONE, "http://127.0.0.1/cb");
    assertThat(registered.allowsRedirect(uri)).as(uri).isFalse();
    assertThat(any.allowsRedirect(uri)).as("any-port " + uri).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://app.example.com/callback/", // trailing slash
        "https://app.example.com/Callback", // case
        "https://APP.example.com/callback",
        "https://app.example.com:443/callback", // default port spelt out
        "https://app.example.com/callback?next=/admin", // added query
        "https://app.example.com/q?a=2", // changed query
        "https://app.example.com/q?a=1&b=2",
        "https://app.example.com/q", // query removed
        "https://app.example.com/callback#x", // fragment
        "https://evil@app.example.com/callback", // user information
        "https://app.example.com@evil.example/callback",
        "https://app.example.com/callback/../evil", // dot segments
        "https://app.example.com/callback%2f..%2fevil",
        "https://app.example.com/%63allback", // percent-encoded 'c'
        "https://app.example.com/callback%00",
        "https://app.example.com.evil.example/callback", // suffix on the host
        "https://app.example.com/callbackx",
        "https://app.example.com/callbac",
        "http://app.example.com/callback", // downgraded scheme
        "https://app.example.com/callback ",
        " https://app.example.com/callback",
      })
  void nearMissesOfAnHttpsUriAreRefused(String uri) {
    assertThat(confidential.allowsRedirect(uri)).as(uri).isFalse();
    assertThat(client(ClientAuthMethod.NONE, WEB).allowsRedirect(uri)).as(uri).isFalse();
  }

  @Test
  void nothingMatchesNull() {
    assertThat(confidential.allowsRedirect(null)).isFalse();
    assertThat(confidential.allowsPostLogoutRedirect(null)).isFalse();
  }

  @Test
  void postLogoutUrisMatchExactlyWithoutAnyPortLeniency() {
    var c =
        new RegisteredClient(
            "c1",
            "Client",
            List.of(),
            List.of("http://127.0.0.1:8400/bye"),
            Set.of(RegisteredClient.CLIENT_CREDENTIALS),
            ClientAuthMethod.NONE,
            Set.of(),
            true,
            false,
            AccessTokenProfile.RFC9068,
            Set.of(),
            Optional.empty(),
            Optional.empty(),
            false);
    assertThat(c.allowsPostLogoutRedirect("http://127.0.0.1:8400/bye")).isTrue();
    assertThat(c.allowsPostLogoutRedirect("http://127.0.0.1:9999/bye")).isFalse();
    assertThat(c.allowsPostLogoutRedirect("http://127.0.0.1:8400/bye/")).isFalse();
  }
}
