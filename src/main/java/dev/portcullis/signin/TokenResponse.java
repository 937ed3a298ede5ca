package dev.portcullis.signin;

import dev.portcullis.problem.JsonFactory;
import jakarta.json.JsonObject;

/**
 * The token response of login, refresh and (later) {@code /oauth2/token} (SPEC 3.4, RFC 6749 5.1).
 * Sent with {@code Cache-Control: no-store}.
 *
 * @param accessToken the access token
 * @param expiresIn seconds until the access token expires
 * @param refreshToken the refresh token
 * @param refreshExpiresIn seconds until the refresh token expires
 * @param scope the granted scope
 */
public record TokenResponse(
    String accessToken, long expiresIn, String refreshToken, long refreshExpiresIn, String scope) {

  public JsonObject toJson() {
    return JsonFactory.createObjectBuilder()
        .add("access_token", accessToken)
        .add("token_type", "Bearer")
        .add("expires_in", expiresIn)
        .add("refresh_token", refreshToken)
        .add("refresh_expires_in", refreshExpiresIn)
        .add("scope", scope)
        .build();
  }

  @Override
  public String toString() {
    return "TokenResponse[redacted]";
  }
}
