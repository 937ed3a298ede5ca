package dev.portcullis.oauth;

import dev.portcullis.oauth.client.RegisteredClient;
import java.util.Set;

/**
 * A validated authorization request (RFC 6749 4.1.1, RFC 7636, OpenID Connect Core 3.1.2.1).
 *
 * @param client the registered client
 * @param redirectUri the redirect URI, one the client registered
 * @param state the client's {@code state}, echoed unchanged, or null
 * @param nonce the OpenID {@code nonce}, copied into the ID token, or null
 * @param scopes the requested scopes, all registered for the client
 * @param codeChallenge the PKCE S256 challenge, or null for an exempted confidential client
 * @param prompt the {@code prompt} values ({@code none}, {@code login}, {@code consent}, {@code
 *     select_account})
 * @param maxAge the {@code max_age} in seconds, or null
 * @param consentDenied whether the consent page sent the user back having denied
 */
public record AuthorizationRequest(
    RegisteredClient client,
    String redirectUri,
    String state,
    String nonce,
    Set<String> scopes,
    String codeChallenge,
    Set<String> prompt,
    Long maxAge,
    boolean consentDenied) {

  public boolean isOpenId() {
    return scopes.contains(Scopes.OPENID);
  }
}
