package dev.portcullis.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecurityHeadersFilterTest {

  @Test
  void aFormTargetIsAddedToFormActionOnlyAndTheRestOfThePolicyStays() {
    String policy =
        SecurityHeadersFilter.policyWithFormTargets(List.of("https://app.example:8443"));
    assertThat(policy).contains("form-action 'self' https://app.example:8443;");
    assertThat(policy.replace(" https://app.example:8443", ""))
        .isEqualTo(SecurityHeadersFilter.CSP);
    assertThat(SecurityHeadersFilter.policyWithFormTargets(List.of()))
        .isEqualTo(SecurityHeadersFilter.CSP);
  }

  @Test
  void aSourceThatCouldAddADirectiveIsRefused() {
    for (String source :
        new String[] {
          "https://a.example; script-src *", "'unsafe-inline'", "*", "a,b", "", "a b"
        }) {
      assertThatThrownBy(() -> SecurityHeadersFilter.policyWithFormTargets(List.of(source)))
          .as(source)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
