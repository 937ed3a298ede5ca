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
 * The policy the account page is served with, which its "Link …" buttons (a form post answered with
 * a redirect to the provider) live under: {@code form-action 'self'} and nothing else. A browser
 * that applies {@code form-action} to the redirects after a post (Chromium) therefore needs the
 * link start to answer with a redirect to this site first; {@link
 * dev.portcullis.upstream.UpstreamSignIns#beginLink} is written for that.
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
}
