package dev.portcullis.oauth.client;

import dev.portcullis.oauth.wire.OAuthError;
import jakarta.ws.rs.core.MultivaluedMap;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Reads how a request authenticates its client (RFC 6749 2.3), without judging it:
 *
 * <ul>
 *   <li>{@code client_secret_basic}: {@code Authorization: Basic base64(id ":" secret)}, where id
 *       and secret are each {@code application/x-www-form-urlencoded} before encoding (RFC 6749
 *       2.3.1), so both are form-decoded here ({@code %3A} is a colon in a secret, {@code +} a
 *       space). A {@code client_id} in the form as well must be the same id.
 *   <li>{@code client_secret_post}: {@code client_id} and {@code client_secret} in the form.
 *   <li>{@code none}: a public client, {@code client_id} in the form and no secret.
 * </ul>
 *
 * A request using two methods at once (Basic and a {@code client_secret} in the form; a Basic id
 * and a different form {@code client_id}) or repeating a parameter is refused with 400 {@code
 * invalid_request} (RFC 6749 2.3, 3.2). An empty parameter counts as absent (RFC 6749 3.1). An
 * {@code Authorization} header of another scheme is not client authentication and is ignored here
 * (the introspection endpoint may accept a bearer token as its caller). A Basic header that cannot
 * be decoded is reported as {@link Presented#malformed()}, a failed authentication. Stateless,
 * thread-safe.
 */
final class ClientCredentials {

  /**
   * What a request presented.
   *
   * @param clientId the client id named, or null
   * @param secret the secret presented, or null
   * @param method the method used, or null when the request attempted no client authentication
   * @param malformed whether a Basic header was present but undecodable
   */
  record Presented(String clientId, String secret, ClientAuthMethod method, boolean malformed) {

    static final Presented NOTHING = new Presented(null, null, null, false);

    @Override
    public String toString() {
      // never the secret, wherever a record is printed
      return "Presented[clientId=" + clientId + ", method=" + method + "]";
    }
  }

  private ClientCredentials() {}

  /**
   * What {@code authorization} and {@code form} present.
   *
   * @throws OAuthError 400 {@code invalid_request} for two methods at once or a repeated parameter
   */
  static Presented read(String authorization, MultivaluedMap<String, String> form) {
    String formId = single(form, "client_id");
    String formSecret = single(form, "client_secret");
    if (isBasic(authorization)) {
      if (formSecret != null) {
        throw OAuthError.invalidRequest(
            "Use one client authentication method: HTTP Basic or client_secret in the form");
      }
      var basic = basic(authorization);
      if (basic.malformed()) {
        return basic;
      }
      if (formId != null && !formId.equals(basic.clientId())) {
        throw OAuthError.invalidRequest(
            "client_id in the form differs from the client authenticated by HTTP Basic");
      }
      return basic;
    }
    if (formSecret != null) {
      if (formId == null) {
        throw OAuthError.invalidRequest("client_secret needs client_id");
      }
      return new Presented(formId, formSecret, ClientAuthMethod.CLIENT_SECRET_POST, false);
    }
    if (formId != null) {
      return new Presented(formId, null, ClientAuthMethod.NONE, false);
    }
    return Presented.NOTHING;
  }

  private static boolean isBasic(String authorization) {
    if (authorization == null) {
      return false;
    }
    String value = authorization.strip();
    int space = value.indexOf(' ');
    String scheme = space < 0 ? value : value.substring(0, space);
    return scheme.equalsIgnoreCase("Basic");
  }

  private static Presented basic(String authorization) {
    String value = authorization.strip();
    int space = value.indexOf(' ');
    var malformed = new Presented(null, null, ClientAuthMethod.CLIENT_SECRET_BASIC, true);
    if (space < 0) {
      return malformed;
    }
    String pair;
    try {
      byte[] decoded = Base64.getDecoder().decode(value.substring(space + 1).strip());
      pair =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(decoded))
              .toString();
    } catch (IllegalArgumentException | CharacterCodingException e) {
      return malformed;
    }
    int colon = pair.indexOf(':');
    if (colon < 0) {
      return malformed;
    }
    String id;
    String secret;
    try {
      id = URLDecoder.decode(pair.substring(0, colon), StandardCharsets.UTF_8);
      secret = URLDecoder.decode(pair.substring(colon + 1), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return malformed;
    }
    if (id.isEmpty()) {
      return malformed;
    }
    return new Presented(id, secret, ClientAuthMethod.CLIENT_SECRET_BASIC, false);
  }

  /** The one value of {@code name}, or null when absent or empty; 400 when repeated. */
  private static String single(MultivaluedMap<String, String> form, String name) {
    List<String> values = form == null ? null : form.get(name);
    if (values == null || values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw OAuthError.invalidRequest(name + " must not be repeated");
    }
    String value = values.get(0);
    return value == null || value.isEmpty() ? null : value;
  }
}
