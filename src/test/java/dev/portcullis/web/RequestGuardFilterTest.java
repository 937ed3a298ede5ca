package dev.portcullis.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestGuardFilterTest {

  @Test
  void findsCredentialParametersInAnyCaseOrEncoding() {
    assertThat(RequestGuardFilter.carriesCredential("access_token=abc")).isTrue();
    assertThat(RequestGuardFilter.carriesCredential("a=1&API_KEY=ptc_x")).isTrue();
    assertThat(RequestGuardFilter.carriesCredential("access%5Ftoken=abc")).isTrue();
    assertThat(RequestGuardFilter.carriesCredential("refresh_token")).isTrue();
    assertThat(RequestGuardFilter.carriesCredential("b%zzad=1&x")).isTrue();
  }

  @Test
  void letsOrdinaryQueriesThrough() {
    assertThat(RequestGuardFilter.carriesCredential(null)).isFalse();
    assertThat(RequestGuardFilter.carriesCredential("")).isFalse();
    assertThat(RequestGuardFilter.carriesCredential("offset=0&limit=10")).isFalse();
    assertThat(RequestGuardFilter.carriesCredential("token_hint_x=1")).isFalse();
  }
}
