package dev.portcullis.token;

import dev.portcullis.authentication.PresentedCredential;

/** An access token presented as {@code Authorization: Bearer <jwt>}. */
public final class BearerTokenCredential extends PresentedCredential {

  private final String token;

  public BearerTokenCredential(String token) {
    this.token = token;
  }

  public String token() {
    return token;
  }

  @Override
  public String toString() {
    return "BearerTokenCredential[redacted]";
  }
}
