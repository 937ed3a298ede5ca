package dev.portcullis.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CsrfProtectionTest {

  private static final String OWN = "http://127.0.0.1:8080";

  @Test
  void acceptsThisOriginAndClientsThatSendNoBrowserHeaders() {
    assertThat(CsrfProtection.sameOrigin("same-origin", OWN, OWN)).isTrue();
    assertThat(CsrfProtection.sameOrigin(null, OWN, OWN)).isTrue();
    assertThat(CsrfProtection.sameOrigin(null, null, OWN)).isTrue();
  }

  @Test
  void acceptsTheNullOriginOfOwnFormPostsUnderNoReferrerOnlyWhenFetchMetadataSaysSameOrigin() {
    assertThat(CsrfProtection.sameOrigin("same-origin", "null", OWN)).isTrue();
    assertThat(CsrfProtection.sameOrigin(null, "null", OWN)).isFalse();
    assertThat(CsrfProtection.sameOrigin("none", "null", OWN)).isFalse();
    assertThat(CsrfProtection.sameOrigin("same-site", "null", OWN)).isFalse();
    assertThat(CsrfProtection.sameOrigin("cross-site", "null", OWN)).isFalse();
  }

  @Test
  void refusesOtherOriginsAndSites() {
    assertThat(CsrfProtection.sameOrigin("same-site", "http://127.0.0.1:9999", OWN)).isFalse();
    assertThat(CsrfProtection.sameOrigin("cross-site", "http://localhost:9999", OWN)).isFalse();
    assertThat(CsrfProtection.sameOrigin(null, "https://evil.example", OWN)).isFalse();
    assertThat(CsrfProtection.sameOrigin("same-origin", "https://evil.example", OWN)).isFalse();
  }

  @Test
  void acceptsTheIssuersOriginBehindATlsTerminatingProxy() {
    String internal = "http://10.0.0.5:8080";
    String issuer = "https://auth.example.com";
    assertThat(CsrfProtection.sameOrigin("same-origin", issuer, internal, issuer)).isTrue();
    assertThat(CsrfProtection.sameOrigin(null, issuer, internal, issuer)).isTrue();
    assertThat(CsrfProtection.sameOrigin(null, "https://evil.example", internal, issuer)).isFalse();
    assertThat(CsrfProtection.sameOrigin("cross-site", issuer, internal, issuer)).isFalse();
    assertThat(CsrfProtection.sameOrigin(null, "https://evil.example", internal, null)).isFalse();
  }

  @Test
  void theIssuersOriginIsWhatABrowserWouldSend() {
    assertThat(CsrfProtection.originOf("https://Auth.Example.com/realms/x"))
        .contains("https://auth.example.com");
    assertThat(CsrfProtection.originOf("https://auth.example.com:443/"))
        .contains("https://auth.example.com");
    assertThat(CsrfProtection.originOf("http://localhost:8080")).contains("http://localhost:8080");
    assertThat(CsrfProtection.originOf("https://auth.example.com:8443"))
        .contains("https://auth.example.com:8443");
    assertThat(CsrfProtection.originOf("portcullis")).isEmpty();
    assertThat(CsrfProtection.originOf("ftp://auth.example.com")).isEmpty();
    assertThat(CsrfProtection.originOf("not a url")).isEmpty();
  }
}
