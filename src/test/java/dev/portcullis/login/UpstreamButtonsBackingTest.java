package dev.portcullis.login;

import static dev.portcullis.login.ConfiguredProviders.CORP;
import static dev.portcullis.login.ConfiguredProviders.GITHUB;
import static dev.portcullis.login.ConfiguredProviders.GOOGLE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The login page's "Sign in with …" buttons and the {@code next} they carry. */
class UpstreamButtonsBackingTest {

  @Test
  void oneButtonPerProviderInTheConfiguredOrder() {
    var buttons = UpstreamButtonsBacking.buttons(List.of(GITHUB, CORP, GOOGLE), "", null);
    assertThat(buttons)
        .extracting(UpstreamButtonsBacking.Button::id)
        .containsExactly("github", "corp", "google");
    assertThat(buttons)
        .extracting(UpstreamButtonsBacking.Button::label)
        .containsExactly("Sign in with GitHub", "Sign in with Corp SSO", "Sign in with Google");
    assertThat(buttons)
        .extracting(UpstreamButtonsBacking.Button::href)
        .containsExactly(
            "/login/oauth2/start/github", "/login/oauth2/start/corp", "/login/oauth2/start/google");
  }

  @Test
  void noProviderNoButton() {
    assertThat(UpstreamButtonsBacking.buttons(List.of(), "", "/account")).isEmpty();
  }

  @Test
  void theContextPathPrefixesTheStartPath() {
    assertThat(UpstreamButtonsBacking.buttons(List.of(GOOGLE), "/auth", null))
        .extracting(UpstreamButtonsBacking.Button::href)
        .containsExactly("/auth/login/oauth2/start/google");
  }

  @Test
  void aLocalNextTravelsAlongUrlEncoded() {
    String next =
        "/oauth2/authorize?client_id=app&scope=openid+email&redirect_uri=https%3A%2F%2Fapp.example%2Fcb";
    assertThat(UpstreamButtonsBacking.buttons(List.of(GOOGLE, GITHUB), "", next))
        .extracting(UpstreamButtonsBacking.Button::href)
        .containsExactly(
            "/login/oauth2/start/google?next=%2Foauth2%2Fauthorize%3Fclient_id%3Dapp%26scope%3Dopenid%2Bemail"
                + "%26redirect_uri%3Dhttps%253A%252F%252Fapp.example%252Fcb",
            "/login/oauth2/start/github?next=%2Foauth2%2Fauthorize%3Fclient_id%3Dapp%26scope%3Dopenid%2Bemail"
                + "%26redirect_uri%3Dhttps%253A%252F%252Fapp.example%252Fcb");
    assertThat(UpstreamButtonsBacking.buttons(List.of(GOOGLE), "", "/account"))
        .extracting(UpstreamButtonsBacking.Button::href)
        .containsExactly("/login/oauth2/start/google?next=%2Faccount");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://evil.example/",
        "//evil.example",
        "/\\evil.example",
        "javascript:alert(1)",
        "/login?next=/account",
        "/logout",
        "/acc ount",
        "/account\"><script>alert(1)</script>",
        ""
      })
  void aNextTheLoginWouldNotFollowIsLeftOut(String next) {
    assertThat(UpstreamButtonsBacking.buttons(List.of(GOOGLE), "", next))
        .extracting(UpstreamButtonsBacking.Button::href)
        .as(next)
        .containsExactly("/login/oauth2/start/google");
  }
}
