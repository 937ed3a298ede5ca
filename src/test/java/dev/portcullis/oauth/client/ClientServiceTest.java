package dev.portcullis.oauth.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What {@link ClientService} writes into its audit events: the facts, never a secret. */
class ClientServiceTest {

  private static RegisteredClient client(String name, List<String> redirects, boolean pkce) {
    return new RegisteredClient(
        "web",
        name,
        redirects,
        List.of(),
        Set.of(RegisteredClient.AUTHORIZATION_CODE, RegisteredClient.REFRESH_TOKEN),
        ClientAuthMethod.CLIENT_SECRET_BASIC,
        Set.of("openid", "email"),
        pkce,
        false,
        AccessTokenProfile.RFC9068,
        Set.of(),
        Optional.empty(),
        Optional.of(Duration.ofDays(1)),
        false);
  }

  @Test
  void namesTheChangedFields() {
    var before = client("Web", List.of("https://a.example/cb"), true);
    var after = client("Web app", List.of("https://a.example/cb", "https://b.example/cb"), false);

    assertThat(ClientService.changedFields(before, before)).isEmpty();
    assertThat(ClientService.changedFields(before, after))
        .containsExactly("name", "redirect_uris", "require_pkce");
  }

  @Test
  void describesARegistration() {
    assertThat(ClientService.describe(client("Web", List.of("https://a.example/cb"), true)))
        .isEqualTo(
            "source=api method=client_secret_basic grants=[authorization_code, refresh_token]"
                + " scopes=[email, openid] roles=[] redirect_uris=1 require_pkce=true");
  }
}
