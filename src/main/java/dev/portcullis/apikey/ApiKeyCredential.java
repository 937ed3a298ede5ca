package dev.portcullis.apikey;

import dev.portcullis.credential.PresentedCredential;
import dev.portcullis.web.ClientInfo;
import java.util.function.Supplier;

/**
 * An API key presented in {@code X-API-Key} or {@code Authorization: ApiKey}, with the audience the
 * request is for: Portcullis itself, unless a trusted proxy named another in {@code X-Audience} on
 * the forward-auth endpoint ({@link ApiKeyReader}).
 *
 * <p>The client IP is read at once (every use is rate-limited by it); the rest of {@link
 * ClientInfo} only when a failed use is audited, since assigning a request id costs a secure random
 * number that a successful use does not need.
 */
public final class ApiKeyCredential extends PresentedCredential {

  private final String key;
  private final String targetAudience;
  private final String clientIp;
  private final Supplier<ClientInfo> clientInfo;
  private ClientInfo client;

  public ApiKeyCredential(
      String key, String targetAudience, String clientIp, Supplier<ClientInfo> clientInfo) {
    this.key = key;
    this.targetAudience = targetAudience;
    this.clientIp = clientIp;
    this.clientInfo = clientInfo;
  }

  /** The client address the request came from (rate limits), or null. */
  public String clientIp() {
    return clientIp;
  }

  /** Where the request came from, for the audit event of a failed use; read on first call. */
  public ClientInfo client() {
    if (client == null) {
      client = clientInfo.get();
    }
    return client;
  }

  public String key() {
    return key;
  }

  /** The audience a trusted proxy named for forward authentication, or null for Portcullis. */
  public String targetAudience() {
    return targetAudience;
  }

  @Override
  public String toString() {
    return "ApiKeyCredential[redacted]";
  }
}
