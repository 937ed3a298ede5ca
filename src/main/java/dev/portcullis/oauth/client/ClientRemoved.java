package dev.portcullis.oauth.client;

/**
 * CDI event fired, synchronously inside the deleting transaction and before the client's row is
 * removed, when an OAuth client is deleted (through the admin API, or because it left the clients
 * file): observers revoke what was issued to it (refresh-token families, codes, consents) in the
 * same transaction, so a deletion and its consequences commit together or not at all.
 *
 * @param clientId the deleted client's id
 */
public record ClientRemoved(String clientId) {}
