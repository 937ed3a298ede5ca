package dev.portcullis.token;

import java.time.Instant;
import java.util.UUID;

/**
 * What a user granted an OAuth client, carried by the refresh-token family the grant started, so a
 * refresh issues the same scopes to the same client only.
 *
 * @param clientId the client the family belongs to
 * @param scope the granted scopes, space-separated
 * @param authTime when the user signed in (OpenID {@code auth_time})
 * @param loginSessionId the browser session the user authorized from (OpenID {@code sid})
 * @param authMethod how that session was established: {@code session} (a password) or {@code
 *     upstream:<provider id>} (OpenID {@code amr})
 */
public record ClientGrant(
    String clientId, String scope, Instant authTime, UUID loginSessionId, String authMethod) {

  /** The OpenID {@code amr} of the sign-in: {@code fed} through a provider, else {@code pwd}. */
  public String amr() {
    return authMethod != null && authMethod.startsWith("upstream:") ? "fed" : "pwd";
  }
}
