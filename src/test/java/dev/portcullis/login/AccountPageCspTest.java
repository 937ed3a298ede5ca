package dev.portcullis.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.testing.ConfigStandIn;
import dev.portcullis.testing.RequestStandIn;
import dev.portcullis.testing.ResponseStandIn;
import dev.portcullis.web.SecurityHeadersFilter;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The policy the account page is served with by default: {@code form-action 'self'} and nothing
 * else. While it shows "Link …" buttons (a form post answered with a redirect to the provider,
 * which Chromium checks against {@code form-action}), {@link AccountLinksBacking#beforeRender} adds
 * the providers' authorization origins, and only those.
 */
class AccountPageCspTest {

  @BeforeAll
  static void trustedProxies() {
    ConfigStandIn.install();
  }

  @Test
  void theAccountPageAllowsFormsToPostToThisSiteOnly() throws Exception {
    var request =
        new HttpServletRequestWrapper(RequestStandIn.to("/account").build()) {
          @Override
          public boolean isSecure() {
            return true;
          }
        };
    var response = new ResponseStandIn();
    new SecurityHeadersFilter().doFilter(request, response.response(), (req, res) -> {});
    String policy = response.header("Content-Security-Policy");
    assertThat(
            Arrays.stream(policy.split(";"))
                .map(String::strip)
                .filter(d -> d.startsWith("form-action")))
        .containsExactly("form-action 'self'");
    assertThat(policy).doesNotContain("http:").doesNotContain("https:");
  }

  @Test
  void onlyPlainOriginsAreAddedForLinkButtons() {
    assertThat(AccountLinksBacking.isSource("https://accounts.google.com")).isTrue();
    assertThat(AccountLinksBacking.isSource("http://127.0.0.1:8081")).isTrue();
    assertThat(AccountLinksBacking.isSource("https://[::1]:8443")).isTrue();
    assertThat(AccountLinksBacking.isSource("https://a.example; script-src *")).isFalse();
    assertThat(AccountLinksBacking.isSource("https://a.example/path")).isFalse();
    assertThat(AccountLinksBacking.isSource("javascript:")).isFalse();
    assertThat(
            SecurityHeadersFilter.policyWithFormTargets(
                java.util.List.of("https://id.example.com")))
        .contains("form-action 'self' https://id.example.com;");
  }
}
