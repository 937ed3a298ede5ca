package dev.portcullis.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuthorizeContinuationTest {

  private static final String REQUEST =
      "/oauth2/authorize?response_type=code&client_id=legacy-app"
          + "&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&scope=openid+profile%20email"
          + "&state=xyz&code_challenge=abc&code_challenge_method=S256";

  @Test
  void readsTheClientAndTheRequestedScopesOfALocalAuthorizationRequest() {
    var parsed = AuthorizeContinuation.parse(REQUEST).orElseThrow();
    assertThat(parsed.target()).isEqualTo(REQUEST);
    assertThat(parsed.clientId()).isEqualTo("legacy-app");
    assertThat(parsed.requestedScopes()).containsExactly("openid", "profile", "email");
    assertThat(parsed.redirectUri()).isEqualTo("https://app.example/cb");
  }

  @Test
  void decodesTheClientIdAndCountsARepeatedScopeOnce() {
    var parsed =
        AuthorizeContinuation.parse(
                "/oauth2/authorize?client_id=my%20app%2Fv2&scope=email%20%20openid+email")
            .orElseThrow();
    assertThat(parsed.clientId()).isEqualTo("my app/v2");
    assertThat(parsed.requestedScopes()).containsExactly("email", "openid");
  }

  @Test
  void aRequestWithoutScopeAsksForNone() {
    var parsed = AuthorizeContinuation.parse("/oauth2/authorize?client_id=app").orElseThrow();
    assertThat(parsed.requestedScopes()).isEmpty();
    assertThat(parsed.redirectUri()).isNull();
    assertThat(
            AuthorizeContinuation.parse("/oauth2/authorize?client_id=app&scope=")
                .orElseThrow()
                .requestedScopes())
        .isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // not a local path
        "https://evil.example/oauth2/authorize?client_id=app",
        "http://localhost/oauth2/authorize?client_id=app",
        "//evil.example/oauth2/authorize?client_id=app",
        "///oauth2/authorize?client_id=app",
        "/\\evil.example/oauth2/authorize?client_id=app",
        "javascript:alert(1)//oauth2/authorize?client_id=app",
        "oauth2/authorize?client_id=app",
        // another path, or the right one spelled differently
        "/oauth2/authorizeX?client_id=app",
        "/oauth2/authorize/?client_id=app",
        "/oauth2/authorize/../../logout?client_id=app",
        "/OAUTH2/authorize?client_id=app",
        "/oauth2/authorize;jsessionid=x?client_id=app",
        "/oauth2/authorize%3Fclient_id=app",
        "%2Foauth2%2Fauthorize%3Fclient_id%3Dapp",
        "/oauth2/%61uthorize?client_id=app",
        "/oauth2/token?client_id=app",
        "/account",
        "/oauth2/authorize",
        "/oauth2/authorize?",
        // characters a well-encoded local URL never has
        "/oauth2/authorize?client_id=app#fragment",
        "/oauth2/authorize?client_id=app&x=a\\b",
        "/oauth2/authorize?client_id=app&x=a b",
        "/oauth2/authorize?client_id=app\r\nLocation: https://evil.example",
        "/oauth2/authorize?client_id=app\t",
        "/oauth2/authorize?client_id=äpp",
        " /oauth2/authorize?client_id=app",
        // malformed escapes and parameters
        "/oauth2/authorize?client_id=app%",
        "/oauth2/authorize?client_id=app%zz",
        "/oauth2/authorize?client_id=%00app",
        "/oauth2/authorize?client_id=app%0d%0a",
        "/oauth2/authorize?client_id=",
        "/oauth2/authorize?scope=openid",
        "/oauth2/authorize?client_id=app&client_id=other",
        "/oauth2/authorize?client_id=app&client%5Fid=other",
        "/oauth2/authorize?client_id=app&scope=openid&scope=email",
        "/oauth2/authorize?client_id=app&redirect_uri=https%3A%2F%2Fa&redirect_uri=https%3A%2F%2Fb",
        // the page's own answer must not be forged into the request
        "/oauth2/authorize?client_id=app&consent=denied",
        "/oauth2/authorize?client_id=app&consent",
        "/oauth2/authorize?client_id=app&%63onsent=approved",
        ""
      })
  void refusesEverythingElse(String value) {
    assertThat(AuthorizeContinuation.parse(value)).as(value).isEmpty();
  }

  @Test
  void refusesNothingAndTheOverLong() {
    assertThat(AuthorizeContinuation.parse(null)).isEmpty();
    String prefix = "/oauth2/authorize?client_id=app&state=";
    String longest = prefix + "s".repeat(SafeRedirects.MAX_LENGTH - prefix.length());
    assertThat(AuthorizeContinuation.parse(longest)).isPresent();
    assertThat(AuthorizeContinuation.parse(longest + "s")).isEmpty();
  }

  @Test
  void aContinuationThatWasUrlEncodedOnceMoreIsNotDecodedIntoOne() {
    String twice = URLEncoder.encode(REQUEST, StandardCharsets.UTF_8);
    assertThat(AuthorizeContinuation.parse(twice)).isEmpty();
  }

  @Test
  void aDenialAppendsConsentDeniedToTheSameRequest() {
    var parsed = AuthorizeContinuation.parse(REQUEST).orElseThrow();
    assertThat(parsed.denied()).isEqualTo(REQUEST + "&consent=denied");
    assertThat(
            AuthorizeContinuation.parse("/oauth2/authorize?client_id=app&").orElseThrow().denied())
        .isEqualTo("/oauth2/authorize?client_id=app&consent=denied");
  }

  @Test
  void bothTargetsStayLocalAuthorizationRequests() {
    var parsed = AuthorizeContinuation.parse(REQUEST).orElseThrow();
    for (String target : new String[] {parsed.target(), parsed.denied()}) {
      assertThat(target).startsWith("/oauth2/authorize?");
      assertThat(SafeRedirects.localTarget(target)).isEqualTo(target);
    }
  }
}
