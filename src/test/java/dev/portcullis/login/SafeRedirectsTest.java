package dev.portcullis.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
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
        "/login/password",
        "/LOGIN?next=/account",
        "/oauth2/authorize?x=1\r\nSet-Cookie:%20a=b",
        "/oauth2/authorize?redirect_uri=https://ok.example/cb /x",
        ""
      })
  void sendsEverythingElseToTheAccountPage(String next) {
    assertThat(SafeRedirects.localTarget(next)).isEqualTo("/account");
  }

  @Test
  void keepsAnAuthorizationRequestOfRealisticLength() {
    String next =
        "/oauth2/authorize?response_type=code&client_id=legacy-app"
            + "&redirect_uri="
            + URLEncoder.encode(
                "https://legacy.example.com/app/callback?tenant=" + "t".repeat(200),
                StandardCharsets.UTF_8)
            + "&scope=openid%20profile%20email%20offline_access%20groups"
            + "&state="
            + "s".repeat(512)
            + "&nonce="
            + "n".repeat(256)
            + "&code_challenge="
            + "c".repeat(43)
            + "&code_challenge_method=S256";
    assertThat(next.length()).isBetween(1200, SafeRedirects.MAX_LENGTH);
    assertThat(SafeRedirects.localTarget(next)).isEqualTo(next);
  }

  @Test
  void theLengthLimitIsInclusiveAndNothingLongerIsKept() {
    String prefix = "/oauth2/authorize?state=";
    String longest = prefix + "a".repeat(SafeRedirects.MAX_LENGTH - prefix.length());
    assertThat(longest).hasSize(4096);
    assertThat(SafeRedirects.localTarget(longest)).isEqualTo(longest);
    assertThat(SafeRedirects.localTarget(longest + "a")).isEqualTo("/account");
    assertThat(SafeRedirects.localTarget("/" + "a".repeat(100_000))).isEqualTo("/account");
  }

  @Test
  void aLongTargetIsJudgedByTheSameRulesAsAShortOne() {
    String padding = "a".repeat(3000);
    assertThat(SafeRedirects.localTarget("//evil.example/" + padding)).isEqualTo("/account");
    assertThat(SafeRedirects.localTarget("https://evil.example/" + padding)).isEqualTo("/account");
    assertThat(SafeRedirects.localTarget("/\\evil.example/" + padding)).isEqualTo("/account");
    assertThat(SafeRedirects.localTarget("/login?x=" + padding)).isEqualTo("/account");
  }
}
