package dev.portcullis.upstream;

/**
 * A sign-in that must not go on: a check failed (state, browser, nonce, signature, issuer…) or the
 * provider refused. {@link #reason()} goes to the audit log (never a token or code); the browser
 * sees only the generic message.
 */
class SignInRefusedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String reason;

  SignInRefusedException(String reason) {
    super(reason, null, false, false);
    this.reason = reason;
  }

  String reason() {
    return reason;
  }
}
