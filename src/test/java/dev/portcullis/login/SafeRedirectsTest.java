package dev.portcullis.login;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafeRedirectsTest {

  @ParameterizedTest
  @ValueSource(strings = {"/account", "/account?tab=keys", "/some/page#x", "/a%2Fb", "/%0d%0aX"})
  void keepsLocalPaths(String next) {
    assertThat(SafeRedirects.localTarget(next)).isEqualTo(next);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://evil.example",
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "http:/evil.example",
        "javascript:alert(1)",
        "evil.example",
        "/\tevil",
        " /account",
        "///evil.example",
        "/login",
        "/logout",
        ""
      })
  void sendsEverythingElseToTheAccountPage(String next) {
    assertThat(SafeRedirects.localTarget(next)).isEqualTo("/account");
  }
}
