package dev.portcullis.oauth.client;

/**
 * A registered client with the hash of its secret, as {@link ClientRegistry} caches it for client
 * authentication. Never leaves the package: the authorization server sees {@link #client()} only.
 *
 * @param client the registration
 * @param secretHash the SHA-256 (hex) of its secret; null for a public client
 */
record ClientRecord(RegisteredClient client, String secretHash) {}
