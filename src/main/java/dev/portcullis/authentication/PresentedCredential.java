package dev.portcullis.authentication;

import jakarta.security.enterprise.credential.Credential;

/**
 * A credential a {@link CredentialReader} found in a request. The identity store that validates it
 * records why it was refused, so the mechanism can answer precisely (expired vs invalid vs
 * unavailable) while still validating through the standard {@code IdentityStoreHandler}.
 */
public abstract class PresentedCredential implements Credential {

  private volatile Rejection rejection = Rejection.invalid("The credential is not valid");

  /** Called by the identity store that refuses this credential. */
  public void reject(Rejection reason) {
    this.rejection = reason;
  }

  public Rejection rejection() {
    return rejection;
  }

  /** The {@code WWW-Authenticate} scheme a refusal of this credential is challenged with. */
  public String challengeScheme() {
    return "Bearer";
  }
}
