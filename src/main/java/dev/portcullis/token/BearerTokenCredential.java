package dev.portcullis.token;

import dev.portcullis.credential.PresentedCredential;
import dev.portcullis.web.ClientInfo;
import java.util.function.Supplier;

/**
 * An access token presented as {@code Authorization: Bearer <jwt>}, with where the request came
 * from, read only when a refusal is audited (a valid token's request needs no request id).
 */
public final class BearerTokenCredential extends PresentedCredential {

  private final String token;
  private final Supplier<ClientInfo> client;

  public BearerTokenCredential(String token, Supplier<ClientInfo> client) {
    this.token = token;
    this.client = client;
  }

  public String token() {
    return token;
  }

  /** Where the request came from, for the audit event of a refusal. */
  public ClientInfo client() {
    return client.get();
  }

  @Override
  public String toString() {
    return "BearerTokenCredential[redacted]";
  }
}
