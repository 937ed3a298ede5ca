package dev.portcullis.token;

/**
 * An access token that must not be accepted. {@link #expired()} separates "refresh and retry" from
 * every other reason; the message is a short reason code, safe for logs and audit.
 */
public class InvalidTokenException extends Exception {

  private static final long serialVersionUID = 1L;

  private final boolean expired;

  public InvalidTokenException(String reason, boolean expired) {
    super(reason, null, false, false);
    this.expired = expired;
  }

  public boolean expired() {
    return expired;
  }
}
