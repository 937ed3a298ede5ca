package dev.portcullis.oauth;

import dev.portcullis.oauth.client.ClientRemoved;
import dev.portcullis.oauth.consent.ConsentRevoked;
import dev.portcullis.oauth.consent.Consents;
import dev.portcullis.token.RefreshTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * Ends what was issued to a client when the right to it goes away, in the transaction that takes it
 * away (both events are fired synchronously inside it):
 *
 * <ul>
 *   <li>a client deleted (admin API or clients file) → every refresh-token family issued to it is
 *       revoked (and with them their access tokens), its unredeemed codes deleted, every user's
 *       consent for it forgotten;
 *   <li>a user revoked an app on the account page → that user's families of that client are
 *       revoked.
 * </ul>
 */
@ApplicationScoped
public class GrantRevocations {

  @PersistenceContext EntityManager em;

  @Inject RefreshTokens refreshTokens;
  @Inject Consents consents;

  void onClientRemoved(@Observes ClientRemoved removed) {
    refreshTokens.revokeClientFamilies(removed.clientId(), null, "CLIENT_DELETED");
    em.createNamedQuery(AuthorizationCode.DELETE_OF_CLIENT)
        .setParameter("client", removed.clientId())
        .executeUpdate();
    consents.forgetClient(removed.clientId());
  }

  void onConsentRevoked(@Observes ConsentRevoked revoked) {
    refreshTokens.revokeClientFamilies(revoked.clientId(), revoked.userId(), "CONSENT_REVOKED");
  }
}
