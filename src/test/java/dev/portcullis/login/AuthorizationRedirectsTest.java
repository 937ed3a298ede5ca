package dev.portcullis.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.oauth.client.AccessTokenProfile;
import dev.portcullis.oauth.client.ClientAuthMethod;
import dev.portcullis.oauth.client.RegisteredClient;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthorizationRedirectsTest {

  @Test
  void theSourceOfAWebRedirectIsItsOrigin() {
    assertThat(AuthorizationRedirects.source("https://app.example/cb?x=1#y"))
        .contains("https://app.example");
    assertThat(AuthorizationRedirects.source("http://127.0.0.1:49152/callback"))
        .contains("http://127.0.0.1:49152");
    assertThat(AuthorizationRedirects.source("HTTPS://App.Example:8443/cb"))
        .contains("https://App.Example:8443");
  }

  @Test
  void aNativeAppsPrivateUseSchemeIsAllowedAsAScheme() {
    assertThat(AuthorizationRedirects.source("com.example.app:/oauth2redirect"))
        .contains("com.example.app:");
  }

  @Test
  void nothingThatIsNotAnAbsoluteUriBecomesASource() {
    for (String uri :
        new String[] {"/cb", "//app.example/cb", "https:///cb", "not a uri", "https://a b/"}) {
      assertThat(AuthorizationRedirects.source(uri)).as(uri).isEmpty();
    }
  }

  @Test
  void onlyARedirectTheClientRegisteredIsAllowed() {
    var client = client(List.of("https://app.example/cb", "https://app.example/other"));
    assertThat(
            AuthorizationRedirects.redirectOf(
                request("redirect_uri=https%3A%2F%2Fapp.example%2Fcb"), client))
        .contains("https://app.example/cb");
    assertThat(
            AuthorizationRedirects.redirectOf(
                request("redirect_uri=https%3A%2F%2Fevil.example%2Fcb"), client))
        .isEmpty();
    assertThat(
            AuthorizationRedirects.redirectOf(
                request("redirect_uri=https%3A%2F%2Fapp.example%2Fcb%2F.."), client))
        .isEmpty();
    assertThat(AuthorizationRedirects.redirectOf(request("state=x"), client))
        .as("no redirect_uri and two registered: the endpoint refuses it")
        .isEmpty();
    assertThat(
            AuthorizationRedirects.redirectOf(
                request("state=x"), client(List.of("https://only.example/cb"))))
        .contains("https://only.example/cb");
  }

  private static AuthorizeContinuation request(String more) {
    return AuthorizeContinuation.parse("/oauth2/authorize?client_id=app&" + more).orElseThrow();
  }

  private static RegisteredClient client(List<String> redirects) {
    return new RegisteredClient(
        "app",
        "App",
        redirects,
        List.of(),
        Set.of(RegisteredClient.AUTHORIZATION_CODE),
        ClientAuthMethod.CLIENT_SECRET_BASIC,
        Set.of("openid"),
        true,
        true,
        AccessTokenProfile.RFC9068,
        Set.of(),
        Optional.empty(),
        Optional.empty(),
        false);
  }
}
