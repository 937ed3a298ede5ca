package dev.portcullis.oauth.consent;

import java.util.UUID;

/**
 * A user withdrew a client's access ({@link Consents#revoke}); fired synchronously inside the
 * transaction that deleted the consent, so an observer that ends the tokens issued to that client
 * for the user commits or rolls back with it.
 *
 * @param userId the user
 * @param clientId the client whose consent was withdrawn
 */
public record ConsentRevoked(UUID userId, String clientId) {}
