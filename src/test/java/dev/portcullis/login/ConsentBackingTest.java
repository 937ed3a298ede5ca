package dev.portcullis.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.oauth.client.AccessTokenProfile;
import dev.portcullis.oauth.client.ClientAuthMethod;
import dev.portcullis.oauth.client.RegisteredClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** What the consent page shows for a {@code continue} value, with a hand-made client registry. */
class ConsentBackingTest {

  private static final RegisteredClient LEGACY =
      client("legacy-app", "Legacy HR", Set.of("openid", "profile", "email", "offline_access"));

  private final List<String> lookedUp = new ArrayList<>();

  private final Function<String, Optional<RegisteredClient>> registry =
      id -> {
        lookedUp.add(id);
        return Optional.ofNullable(
            Map.of("legacy-app", LEGACY, "nameless", client("nameless", " ", Set.of("openid")))
                .get(id));
      };

  @Test
  void showsTheClientsNameAndTheRequestedScopesItRegisteredInTheOrderAsked() {
    var shown =
        ConsentBacking.prepare(
            "/oauth2/authorize?client_id=legacy-app&scope=email+groups+openid+admin+email",
            registry);
    assertThat(shown.ok()).isTrue();
    assertThat(shown.error()).isNull();
    assertThat(shown.clientName()).isEqualTo("Legacy HR");
    assertThat(shown.scopes())
        .as("groups and admin are not registered for the client: never shown, never granted")
        .containsExactly("email", "openid");
    assertThat(shown.request().target())
        .isEqualTo("/oauth2/authorize?client_id=legacy-app&scope=email+groups+openid+admin+email");
  }

  @Test
  void aClientWithoutANameIsShownByItsId() {
    var shown =
        ConsentBacking.prepare("/oauth2/authorize?client_id=nameless&scope=openid", registry);
    assertThat(shown.clientName()).isEqualTo("nameless");
    assertThat(shown.scopes()).containsExactly("openid");
  }

  @Test
  void anUnknownClientIsAnErrorWithNothingToApprove() {
    var shown = ConsentBacking.prepare("/oauth2/authorize?client_id=nobody&scope=openid", registry);
    assertThat(shown.ok()).isFalse();
    assertThat(shown.error()).isEqualTo(ConsentBacking.UNKNOWN_CLIENT);
    assertThat(shown.request()).isNull();
    assertThat(shown.scopes()).isEmpty();
    assertThat(lookedUp).containsExactly("nobody");
  }

  @Test
  void anythingButALocalAuthorizationRequestIsAnErrorAndNoClientIsLookedUp() {
    for (String value :
        new String[] {
          null,
          "",
          "https://evil.example/oauth2/authorize?client_id=legacy-app",
          "//evil.example/oauth2/authorize?client_id=legacy-app",
          "/oauth2/authorizeX?client_id=legacy-app",
          "/account?client_id=legacy-app"
        }) {
      var shown = ConsentBacking.prepare(value, registry);
      assertThat(shown.ok()).as(value).isFalse();
      assertThat(shown.error()).as(value).isEqualTo(ConsentBacking.INVALID_REQUEST);
    }
    assertThat(lookedUp).isEmpty();
  }

  @Test
  void aRequestForNoRegisteredScopeShowsNoneAndStillNamesTheClient() {
    var shown =
        ConsentBacking.prepare("/oauth2/authorize?client_id=legacy-app&scope=groups", registry);
    assertThat(shown.ok()).isTrue();
    assertThat(shown.scopes()).isEmpty();
  }

  private static RegisteredClient client(String id, String name, Set<String> scopes) {
    return new RegisteredClient(
        id,
        name,
        List.of("https://app.example/cb"),
        List.of(),
        Set.of(RegisteredClient.AUTHORIZATION_CODE),
        ClientAuthMethod.CLIENT_SECRET_BASIC,
        scopes,
        true,
        true,
        AccessTokenProfile.RFC9068,
        Set.of(),
        Optional.empty(),
        Optional.empty(),
        false);
  }

  @Test
  void aRedirectUriTheClientDidNotRegisterIsAnError() {
    var foreign =
        ConsentBacking.prepare(
            "/oauth2/authorize?client_id=legacy-app&scope=openid"
                + "&redirect_uri=https%3A%2F%2Fevil.example%2Fcb",
            registry);
    assertThat(foreign.ok()).isFalse();
    assertThat(foreign.error()).isEqualTo(ConsentBacking.INVALID_REQUEST);
    var registered =
        ConsentBacking.prepare(
            "/oauth2/authorize?client_id=legacy-app&scope=openid"
                + "&redirect_uri=https%3A%2F%2Fapp.example%2Fcb",
            registry);
    assertThat(registered.ok()).isTrue();
  }
}
