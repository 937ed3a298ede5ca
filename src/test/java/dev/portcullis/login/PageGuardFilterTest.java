package dev.portcullis.login;

import static dev.portcullis.login.PageGuardFilter.Decision.CROSS_SITE;
import static dev.portcullis.login.PageGuardFilter.Decision.NOT_FOUND;
import static dev.portcullis.login.PageGuardFilter.Decision.SERVE;
import static dev.portcullis.login.PageGuardFilter.Decision.SIGN_IN;
import static dev.portcullis.login.PageGuardFilter.decide;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.MappingMatch;
import org.junit.jupiter.api.Test;

class PageGuardFilterTest {

  @Test
  void facesServesOnlyTheExactlyMappedExtensionlessPages() {
    for (var match :
        new MappingMatch[] {MappingMatch.EXTENSION, MappingMatch.PATH, MappingMatch.DEFAULT}) {
      assertThat(decide(match, "*.xhtml", true, true)).as("%s", match).isEqualTo(NOT_FOUND);
      assertThat(decide(match, "/faces/*", true, false)).as("%s", match).isEqualTo(NOT_FOUND);
    }
    assertThat(decide(MappingMatch.EXACT, "/login", true, false)).isEqualTo(SERVE);
  }

  @Test
  void signedInPagesServeBrowserSessionsOnly() {
    assertThat(decide(MappingMatch.EXACT, "/account", true, true)).isEqualTo(SERVE);
    assertThat(decide(MappingMatch.EXACT, "/account", true, false)).isEqualTo(SIGN_IN);
    assertThat(decide(MappingMatch.EXACT, "/consent", true, false))
        .as("a page added later is guarded by default")
        .isEqualTo(SIGN_IN);
  }

  @Test
  void formPostsFromAnotherSiteAreRefusedOnEveryPage() {
    assertThat(decide(MappingMatch.EXACT, "/login", false, false)).isEqualTo(CROSS_SITE);
    assertThat(decide(MappingMatch.EXACT, "/account", false, true)).isEqualTo(CROSS_SITE);
  }

  @Test
  void thePasswordChangeStepOfSignInIsPublicButNotCrossSite() {
    assertThat(decide(MappingMatch.EXACT, "/login/password", true, false)).isEqualTo(SERVE);
    assertThat(decide(MappingMatch.EXACT, "/login/password", false, false)).isEqualTo(CROSS_SITE);
    assertThat(decide(MappingMatch.EXTENSION, "*.xhtml", true, false)).isEqualTo(NOT_FOUND);
    assertThat(decide(MappingMatch.EXACT, "/login/other", true, false)).isEqualTo(SIGN_IN);
  }

  @Test
  void theConsentPageServesBrowserSessionsOnlyAndRefusesCrossSitePosts() {
    assertThat(decide(MappingMatch.EXACT, "/consent", true, true)).isEqualTo(SERVE);
    assertThat(decide(MappingMatch.EXACT, "/consent", false, true)).isEqualTo(CROSS_SITE);
  }

  @Test
  void aSignInKeepsTheQueryOfARequestedPageButNotOfAPost() {
    String query = "continue=%2Foauth2%2Fauthorize%3Fclient_id%3Dapp";
    assertThat(PageGuardFilter.returnTo("/consent", "GET", query)).isEqualTo("/consent?" + query);
    assertThat(PageGuardFilter.returnTo("/consent", "HEAD", query)).isEqualTo("/consent?" + query);
    assertThat(PageGuardFilter.returnTo("/consent", "POST", query)).isEqualTo("/consent");
    assertThat(PageGuardFilter.returnTo("/account", "GET", null)).isEqualTo("/account");
    assertThat(PageGuardFilter.returnTo("/account", "GET", "")).isEqualTo("/account");
  }
}
