package dev.portcullis.apikey;

import dev.portcullis.audit.ClientInfo;
import dev.portcullis.authentication.PresentedCredential;

/**
 * An API key presented in {@code X-API-Key} or {@code Authorization: ApiKey}, with the audience the
 * request is for ({@code X-Audience}, or Portcullis itself when absent).
 */
public final class ApiKeyCredential extends PresentedCredential {

  private final String key;
  private final String targetAudience;
  private final ClientInfo client;

  public ApiKeyCredential(String key, String targetAudience, ClientInfo client) {
    this.key = key;
    this.targetAudience = targetAudience;
    this.client = client;
  }

  /** Where the request came from, for the audit event of a failed use. */
  public ClientInfo client() {
    return client;
  }

  public String key() {
    return key;
  }

  /** The {@code X-Audience} the request names, or null. */
  public String targetAudience() {
    return targetAudience;
  }

  @Override
  public String toString() {
    return "ApiKeyCredential[redacted]";
  }
}
