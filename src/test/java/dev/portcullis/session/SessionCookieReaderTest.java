package dev.portcullis.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.credential.AmbiguousCredentialException;
import dev.portcullis.credential.PresentedCredential;
import dev.portcullis.testing.RequestStandIn;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which cookies carry the browser session: exactly one non-empty {@code __Host-portcullis}. */
class SessionCookieReaderTest {

  private final SessionCookieReader reader = new SessionCookieReader();

  private Optional<PresentedCredential> read(RequestStandIn request) {
    return reader.read(request.build());
  }

  private static RequestStandIn page() {
    return RequestStandIn.to("/account");
  }

  @Test
  void aRequestWithoutCookiesHasNoSession() {
    assertThat(read(page())).isEmpty();
  }

  @Test
  void readsTheSessionCookie() {
    var credential = read(page().cookie(SessionCookies.NAME, "s3ss10n"));

    assertThat(credential).get().isInstanceOf(SessionCredential.class);
    assertThat(((SessionCredential) credential.orElseThrow()).value()).isEqualTo("s3ss10n");
  }

  @Test
  void otherCookiesAreNotTheSession() {
    assertThat(read(page().cookie("portcullis_device", "d3v1c3").cookie("theme", "dark")))
        .isEmpty();
  }

  @Test
  void findsTheSessionCookieAmongOthers() {
    assertThat(
            read(
                page()
                    .cookie("theme", "dark")
                    .cookie(SessionCookies.NAME, "s3ss10n")
                    .cookie("lang", "en")))
        .isPresent();
  }

  @Test
  void aCookieWithoutTheHostPrefixIsNotTheSession() {
    // A sibling subdomain can set "portcullis" for this host; only __Host- cookies are host-only.
    assertThat(read(page().cookie("portcullis", "s3ss10n"))).isEmpty();
    assertThat(read(page().cookie("__Secure-portcullis", "s3ss10n"))).isEmpty();
  }

  @Test
  void theCookieNameIsCaseSensitive() {
    assertThat(read(page().cookie("__host-portcullis", "s3ss10n"))).isEmpty();
    assertThat(read(page().cookie("__HOST-PORTCULLIS", "s3ss10n"))).isEmpty();
  }

  @Test
  void anEmptyCookieIsNoSession() {
    // What a browser may keep sending after a clearing Set-Cookie it did not apply.
    assertThat(read(page().cookie(SessionCookies.NAME, ""))).isEmpty();
  }

  @Test
  void theReaderDoesNotJudgeTheValueItself() {
    var credential = read(page().cookie(SessionCookies.NAME, "not-a-session"));

    assertThat(((SessionCredential) credential.orElseThrow()).value()).isEqualTo("not-a-session");
  }

  @Test
  void twoSessionCookiesAreAmbiguous() {
    assertThatThrownBy(
            () ->
                read(page().cookie(SessionCookies.NAME, "one").cookie(SessionCookies.NAME, "two")))
        .isInstanceOf(AmbiguousCredentialException.class);
  }

  @Test
  void twoSessionCookiesAreAmbiguousEvenIfOneIsEmpty() {
    assertThatThrownBy(
            () -> read(page().cookie(SessionCookies.NAME, "").cookie(SessionCookies.NAME, "two")))
        .isInstanceOf(AmbiguousCredentialException.class);
  }

  @Test
  void theCredentialNeverPrintsTheCookie() {
    assertThat(read(page().cookie(SessionCookies.NAME, "s3ss10n-secret")).orElseThrow())
        .asString()
        .doesNotContain("s3ss10n-secret");
  }
}
