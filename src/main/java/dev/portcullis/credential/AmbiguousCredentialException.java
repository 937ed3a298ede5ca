package dev.portcullis.credential;

/** A request carries more than one credential; it is refused rather than guessed at. */
public class AmbiguousCredentialException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public AmbiguousCredentialException() {
    super("More than one credential in the request", null, false, false);
  }
}
