package dev.portcullis.credential;

import jakarta.security.enterprise.credential.Credential;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

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

  /**
   * Called when this credential is refused: may clean up (e.g. clear a stale cookie) and return
   * true to let the request continue anonymously instead of answering 401.
   */
  public boolean tolerateRejection(HttpServletRequest request, HttpServletResponse response) {
    return false;
  }

  /** The {@code WWW-Authenticate} scheme a refusal of this credential is challenged with. */
  public String challengeScheme() {
    return "Bearer";
  }
}
