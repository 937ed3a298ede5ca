package dev.portcullis.oauth.client;

import java.util.Arrays;
import java.util.Optional;

/** How a client authenticates at the token, revocation and introspection endpoints. */
public enum ClientAuthMethod {
  CLIENT_SECRET_BASIC("client_secret_basic"),
  CLIENT_SECRET_POST("client_secret_post"),
  /** A public client: no secret, PKCE always required. */
  NONE("none");

  private final String wireName;

  ClientAuthMethod(String wireName) {
    this.wireName = wireName;
  }

  /** The name in client registrations and discovery. */
  public String wireName() {
    return wireName;
  }

  public static Optional<ClientAuthMethod> fromWire(String name) {
    return Arrays.stream(values()).filter(m -> m.wireName.equals(name)).findFirst();
  }
}
