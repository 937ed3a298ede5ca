package dev.portcullis.login;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScopeDescriptionsTest {

  @Test
  void describesTheScopesOfSpec36InPlainWords() {
    assertThat(ScopeDescriptions.describe("openid")).isEqualTo("Sign you in");
    assertThat(ScopeDescriptions.describe("profile")).isEqualTo("Your name and username");
    assertThat(ScopeDescriptions.describe("email")).isEqualTo("Your e-mail address");
    assertThat(ScopeDescriptions.describe("offline_access"))
        .isEqualTo("Stay signed in (refresh tokens)");
    assertThat(ScopeDescriptions.describe("groups")).isEqualTo("Your roles");
  }

  @Test
  void showsAnyOtherScopeByItsName() {
    assertThat(ScopeDescriptions.describe("orders:read")).isEqualTo("orders:read");
    assertThat(ScopeDescriptions.describe("OPENID"))
        .as("scopes are case-sensitive")
        .isEqualTo("OPENID");
    assertThat(ScopeDescriptions.describe("<b>x</b>")).isEqualTo("<b>x</b>");
  }
}
