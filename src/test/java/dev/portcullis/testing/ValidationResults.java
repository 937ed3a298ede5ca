package dev.portcullis.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.caller.Caller;
import dev.portcullis.caller.PortcullisPrincipal;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;

/** Assertions on an identity store's answer, shared by the stores' decision tables. */
public final class ValidationResults {

  private ValidationResults() {}

  /** VALID for exactly {@code expected}: its principal, caller name and groups. */
  public static void assertValid(CredentialValidationResult result, Caller expected) {
    assertThat(result.getStatus()).isEqualTo(CredentialValidationResult.Status.VALID);
    assertThat(result.getCallerPrincipal())
        .isInstanceOfSatisfying(
            PortcullisPrincipal.class,
            principal -> {
              assertThat(principal.caller()).isEqualTo(expected);
              assertThat(principal.getName()).isEqualTo(expected.username());
            });
    assertThat(result.getCallerGroups()).isEqualTo(expected.groups());
  }
}
