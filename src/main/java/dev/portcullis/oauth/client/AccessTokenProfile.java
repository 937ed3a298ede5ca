package dev.portcullis.oauth.client;

import java.util.Arrays;
import java.util.Optional;

/** The shape of the access tokens issued to a client (SPEC 3.6). */
public enum AccessTokenProfile {
  /** RFC 9068: {@code typ: at+jwt}, the server's access-token algorithm. */
  RFC9068("rfc9068"),
  /** MicroProfile JWT: {@code typ: JWT}, RS256, {@code upn} and {@code groups}. */
  MP_JWT("mp-jwt");

  private final String wireName;

  AccessTokenProfile(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<AccessTokenProfile> fromWire(String name) {
    return Arrays.stream(values()).filter(p -> p.wireName.equals(name)).findFirst();
  }
}
