package dev.portcullis.login;

import static dev.portcullis.login.ConfiguredProviders.CORP;
import static dev.portcullis.login.ConfiguredProviders.GITHUB;
import static dev.portcullis.login.ConfiguredProviders.GOOGLE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.problem.ErrorCode;
import dev.portcullis.problem.ProblemException;
import dev.portcullis.upstream.ProviderKind;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The account page's "Linked accounts": names, link buttons, outcomes and redirects. */
class AccountLinksBackingTest {

  private static final Instant LINKED = Instant.parse("2026-11-02T10:15:00Z");
  private static final Instant USED = Instant.parse("2026-11-20T08:00:00Z");
  private static final List<dev.portcullis.upstream.UpstreamProvider> CONFIGURED =
      List.of(GOOGLE, GITHUB, CORP);

  @Test
  void aLinkShowsItsConfiguredProvidersName() {
    var id = UUID.randomUUID();
    var row =
        AccountLinksBacking.row(
            id, "github", "https://github.com", "a@example.org", LINKED, USED, CONFIGURED);
    assertThat(row)
        .isEqualTo(
            new AccountLinksBacking.LinkedAccount(
                id.toString(), "github", "GitHub", true, "a@example.org", LINKED, USED));
  }

  @Test
  void aLinkWhoseIdWasRenamedFollowsItsIssuer() {
    var row =
        AccountLinksBacking.row(
            UUID.randomUUID(),
            "oldcorp",
            "https://sso.corp.example/realms/staff",
            null,
            LINKED,
            null,
            CONFIGURED);
    assertThat(row.providerId()).isEqualTo("corp");
    assertThat(row.provider()).isEqualTo("Corp SSO");
    assertThat(row.configured()).isTrue();
  }

  @Test
  void aLinkOfAProviderNoLongerConfiguredShowsItsStoredId() {
    var row =
        AccountLinksBacking.row(
            UUID.randomUUID(), "okta", "https://okta.example", null, LINKED, null, CONFIGURED);
    assertThat(row.providerId()).isEqualTo("okta");
    assertThat(row.provider()).isEqualTo("okta");
    assertThat(row.configured()).isFalse();
  }

  @Test
  void anIdNowPointingAtAnotherIssuerIsNotThatProvidersLink() {
    var row =
        AccountLinksBacking.row(
            UUID.randomUUID(), "corp", "https://old-sso.example", null, LINKED, null, CONFIGURED);
    assertThat(row.configured()).isFalse();
    assertThat(AccountLinksBacking.linkable(CONFIGURED, List.of(row)))
        .as("the user has no link through the corp provider configured now")
        .containsExactly(GOOGLE, GITHUB, CORP);
  }

  @Test
  void everyConfiguredProviderWithoutALinkGetsALinkButtonInOrder() {
    var github =
        AccountLinksBacking.row(
            UUID.randomUUID(), "github", "https://github.com", null, LINKED, null, CONFIGURED);
    assertThat(AccountLinksBacking.linkable(CONFIGURED, List.of(github)))
        .containsExactly(GOOGLE, CORP);
    assertThat(AccountLinksBacking.linkable(CONFIGURED, List.of()))
        .containsExactly(GOOGLE, GITHUB, CORP);
    assertThat(AccountLinksBacking.linkable(List.of(), List.of(github))).isEmpty();
  }

  @Test
  void linkedIsAnnouncedOnlyForAProviderTheUserReallyHasALinkThrough() {
    var github =
        AccountLinksBacking.row(
            UUID.randomUUID(), "github", "https://github.com", null, LINKED, null, CONFIGURED);
    assertThat(AccountLinksBacking.success("github", List.of(github))).isEqualTo("Linked GitHub.");
    assertThat(AccountLinksBacking.success("google", List.of(github))).isNull();
    assertThat(AccountLinksBacking.success("<b>x</b>", List.of(github))).isNull();
    assertThat(AccountLinksBacking.success("github", List.of())).isNull();
  }

  @Test
  void aFailedLinkIsWordedByItsReasonAndNeverEchoesTheParameters() {
    assertThat(AccountLinksBacking.failure("google", "taken", CONFIGURED))
        .isEqualTo("That Google account is already linked to another account here.");
    assertThat(AccountLinksBacking.failure("corp", "unavailable", CONFIGURED))
        .isEqualTo("Corp SSO is not answering right now. Try again later.");
    assertThat(AccountLinksBacking.failure("github", "failed", CONFIGURED))
        .isEqualTo("Linking GitHub did not complete.");
    assertThat(AccountLinksBacking.failure("github", "<i>odd</i>", CONFIGURED))
        .isEqualTo("Linking GitHub did not complete.");
    assertThat(AccountLinksBacking.failure("<script>", "taken", CONFIGURED))
        .isEqualTo("That account is already linked to another account here.");
  }

  @Test
  void theLastWayToSignInIsRefusedWithItsReason() {
    var refused =
        new ProblemException(
            ErrorCode.LAST_SIGN_IN_METHOD,
            "This is your only way to sign in; set a password or link another account first");
    assertThat(AccountLinksBacking.unlinkRefused(refused))
        .isEqualTo(
            "This is your only way to sign in; set a password or link another account first.");
    assertThat(
            AccountLinksBacking.unlinkRefused(
                new ProblemException(ErrorCode.NOT_FOUND, "No such linked account")))
        .isEqualTo(AccountLinksBacking.GONE);
  }

  @Test
  void theProvidersAuthorizationEndpointIsFollowedAsItIs() {
    var provider =
        URI.create("https://accounts.google.com/o/oauth2/v2/auth?client_id=x&state=s&nonce=n");
    assertThat(AccountLinksBacking.location("/auth", provider, "google"))
        .isEqualTo(provider.toString());
    var loopback = URI.create("http://127.0.0.1:8099/default/authorize?state=s");
    assertThat(AccountLinksBacking.location("", loopback, "corp")).isEqualTo(loopback.toString());
  }

  @Test
  void aPathOfThisSiteIsUnderTheContextRoot() {
    assertThat(
            AccountLinksBacking.location(
                "/auth", URI.create("/account?upstream=google&error=unavailable"), "google"))
        .isEqualTo("/auth/account?upstream=google&error=unavailable");
    assertThat(
            AccountLinksBacking.location(
                "", URI.create("/account?upstream=google&error=unavailable"), "google"))
        .isEqualTo("/account?upstream=google&error=unavailable");
  }

  @Test
  void anythingElseComesBackToTheAccountPageWithTheGenericError() {
    for (String target :
        new String[] {"javascript:alert(1)", "//evil.example/x", "account", "data:text/html,x"}) {
      assertThat(AccountLinksBacking.location("/auth", URI.create(target), "google"))
          .as(target)
          .isEqualTo("/auth/account?upstream=google&error=failed");
    }
    assertThat(AccountLinksBacking.location("", null, "github"))
        .isEqualTo("/account?upstream=github&error=failed");
  }

  @Test
  void aProviderKindDoesNotMatterForTheName() {
    var other =
        ConfiguredProviders.provider(
            "google", ProviderKind.OIDC, "https://accounts.google.com", "G");
    assertThat(
            AccountLinksBacking.row(
                    UUID.randomUUID(),
                    "google",
                    "https://accounts.google.com",
                    null,
                    LINKED,
                    null,
                    List.of(other))
                .provider())
        .isEqualTo("G");
  }
}
