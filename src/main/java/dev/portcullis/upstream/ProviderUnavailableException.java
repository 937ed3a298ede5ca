package dev.portcullis.upstream;

/**
 * A provider did not answer in time, could not be reached, or answered with a server error: the
 * sign-in ends with "not answering right now" (reason {@code unavailable}), not a hang or a 500.
 */
class ProviderUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  ProviderUnavailableException(String message) {
    super(message, null, false, false);
  }
}
