package dev.portcullis.login;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the pages say about an upstream sign-in or link that came back. */
class UpstreamMessagesTest {

  private static final String GENERIC_SIGN_IN =
      "Sign-in with the provider did not complete. If you already have an account here, sign in"
          + " with your password and link the provider on your account page.";

  @Test
  void aProviderThatDidNotAnswerIsNamedAndThePasswordOffered() {
    assertThat(UpstreamMessages.signInFailed("Google", "unavailable"))
        .isEqualTo(
            "Google is not answering right now. Try again later, or sign in with your password.");
  }

  @Test
  void everyOtherReasonSaysTheSignInDidNotCompleteAndPointsToLinking() {
    for (String reason : new String[] {"failed", "access_denied", "", null, "UNAVAILABLE"}) {
      assertThat(UpstreamMessages.signInFailed("Corporate SSO", reason))
          .as(reason)
          .isEqualTo(
              "Sign-in with Corporate SSO did not complete. If you already have an account here,"
                  + " sign in with your password and link Corporate SSO on your account page.");
    }
  }

  @Test
  void tooManyStartsSayWhatThePasswordFormSaysOverItsLimit() {
    assertThat(UpstreamMessages.signInFailed("Google", "rate_limited"))
        .isEqualTo(LoginBacking.RATE_LIMITED);
    assertThat(UpstreamMessages.signInFailed(null, "rate_limited"))
        .isEqualTo("Too many attempts, try again later.");
  }

  @Test
  void anUnknownProviderGetsTheGenericSentenceWhateverTheReason() {
    assertThat(UpstreamMessages.signInFailed(null, "unavailable")).isEqualTo(GENERIC_SIGN_IN);
    assertThat(UpstreamMessages.signInFailed(null, "failed")).isEqualTo(GENERIC_SIGN_IN);
    assertThat(UpstreamMessages.signInFailed(null, "<script>alert(1)</script>"))
        .isEqualTo(GENERIC_SIGN_IN);
  }

  @Test
  void linkFailuresSayWhatHappened() {
    assertThat(UpstreamMessages.linkFailed("GitHub", "taken"))
        .isEqualTo("That GitHub account is already linked to another account here.");
    assertThat(UpstreamMessages.linkFailed("GitHub", "unavailable"))
        .isEqualTo("GitHub is not answering right now. Try again later.");
    assertThat(UpstreamMessages.linkFailed("GitHub", "failed"))
        .isEqualTo("Linking GitHub did not complete.");
    assertThat(UpstreamMessages.linkFailed("GitHub", "\"><img src=x>"))
        .isEqualTo("Linking GitHub did not complete.");
    assertThat(UpstreamMessages.linkFailed("GitHub", null))
        .isEqualTo("Linking GitHub did not complete.");
  }

  @Test
  void linkFailuresOfAnUnknownProviderNameNone() {
    assertThat(UpstreamMessages.linkFailed(null, "taken"))
        .isEqualTo("That account is already linked to another account here.");
    assertThat(UpstreamMessages.linkFailed(null, "unavailable"))
        .isEqualTo("The provider is not answering right now. Try again later.");
    assertThat(UpstreamMessages.linkFailed(null, "failed"))
        .isEqualTo("Linking the provider did not complete.");
  }

  @Test
  void aSuccessfulLinkNamesTheProvider() {
    assertThat(UpstreamMessages.linked("Google")).isEqualTo("Linked Google.");
  }
}
