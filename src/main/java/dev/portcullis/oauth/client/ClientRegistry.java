package dev.portcullis.oauth.client;

import dev.portcullis.oauth.wire.OAuthError;
import dev.portcullis.web.ClientInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.Optional;

/**
 * The registered OAuth clients (SPEC 3.6). Skeleton: the contract the authorization server and the
 * pages use; the implementation fills it in.
 */
@ApplicationScoped
public class ClientRegistry {

  /** The client {@code clientId} names, if registered. */
  public Optional<RegisteredClient> find(String clientId) {
    return Optional.empty();
  }

  /**
   * Authenticates the client of a token, revocation or introspection request (RFC 6749 2.3).
   *
   * @param authorization the request's {@code Authorization} header, or null
   * @param form the request's form parameters
   * @param client the caller's address, for rate limits and the audit log
   * @return the authenticated client (a public client: identified by {@code client_id} only)
   * @throws OAuthError 401 {@code invalid_client}, 400 {@code invalid_request}, 429
   */
  public RegisteredClient authenticate(
      String authorization, MultivaluedMap<String, String> form, ClientInfo client) {
    throw OAuthError.invalidClient("Client authentication failed");
  }
}
