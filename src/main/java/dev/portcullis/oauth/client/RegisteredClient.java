package dev.portcullis.oauth.client;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An OAuth client as the authorization server sees it (SPEC 3.6): immutable, never carrying its
 * secret or the secret's hash. Thread-safe.
 *
 * @param clientId the client's id
 * @param name its display name (consent page, account page)
 * @param redirectUris the exact redirect URIs it registered
 * @param postLogoutRedirectUris the exact URIs {@code /oauth2/logout} may send the browser to
 * @param grantTypes {@code authorization_code}, {@code refresh_token}, {@code client_credentials}
 * @param authMethod how it authenticates at the token endpoint
 * @param scopes the scopes it may request
 * @param requirePkce whether authorization requests must carry a PKCE S256 challenge (always true
 *     for public clients)
 * @param consentRequired whether users must approve its scopes on the consent page
 * @param accessTokenProfile the shape of its access tokens
 * @param roles the groups a client-credentials token carries
 * @param accessTokenTtl its access-token lifetime, if it differs from the server's
 * @param refreshTokenTtl its sliding refresh-token lifetime, if it differs from the server's
 * @param fromFile whether it comes from {@code PORTCULLIS_CLIENTS_FILE} (read-only in the API)
 */
public record RegisteredClient(
    String clientId,
    String name,
    List<String> redirectUris,
    List<String> postLogoutRedirectUris,
    Set<String> grantTypes,
    ClientAuthMethod authMethod,
    Set<String> scopes,
    boolean requirePkce,
    boolean consentRequired,
    AccessTokenProfile accessTokenProfile,
    Set<String> roles,
    Optional<Duration> accessTokenTtl,
    Optional<Duration> refreshTokenTtl,
    boolean fromFile) {

  public static final String AUTHORIZATION_CODE = "authorization_code";
  public static final String REFRESH_TOKEN = "refresh_token";
  public static final String CLIENT_CREDENTIALS = "client_credentials";

  public RegisteredClient {
    redirectUris = List.copyOf(redirectUris);
    postLogoutRedirectUris = List.copyOf(postLogoutRedirectUris);
    grantTypes = Set.copyOf(grantTypes);
    scopes = Set.copyOf(scopes);
    roles = Set.copyOf(roles);
  }

  /** A public client (no secret: native and browser apps). */
  public boolean isPublic() {
    return authMethod == ClientAuthMethod.NONE;
  }

  public boolean allowsGrant(String grantType) {
    return grantTypes.contains(grantType);
  }

  /**
   * Whether {@code uri} is one of the registered redirect URIs, compared exactly (no prefix, no
   * normalisation); for a public client, a registered loopback URI ({@code http://127.0.0.1/…},
   * {@code http://[::1]/…}) also matches the same URI on any port (RFC 8252 7.3).
   */
  public boolean allowsRedirect(String uri) {
    if (uri == null) {
      return false;
    }
    if (redirectUris.contains(uri)) {
      return true;
    }
    return isPublic() && redirectUris.stream().anyMatch(r -> sameLoopbackIgnoringPort(r, uri));
  }

  /** Whether {@code uri} is one of the registered post-logout redirect URIs, compared exactly. */
  public boolean allowsPostLogoutRedirect(String uri) {
    return uri != null && postLogoutRedirectUris.contains(uri);
  }

  static boolean sameLoopbackIgnoringPort(String registered, String requested) {
    try {
      var r = new URI(registered);
      var q = new URI(requested);
      if (!"http".equals(r.getScheme()) || !"http".equals(q.getScheme())) {
        return false;
      }
      String host = r.getHost();
      if (!("127.0.0.1".equals(host) || "[::1]".equals(host)) || !host.equals(q.getHost())) {
        return false;
      }
      if (r.getRawUserInfo() != null || q.getRawUserInfo() != null || q.getRawFragment() != null) {
        return false;
      }
      return r.getRawPath().equals(q.getRawPath())
          && java.util.Objects.equals(r.getRawQuery(), q.getRawQuery());
    } catch (Exception e) {
      return false;
    }
  }
}
