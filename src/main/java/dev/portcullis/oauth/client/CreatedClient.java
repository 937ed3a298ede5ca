package dev.portcullis.oauth.client;

/**
 * A client right after registration or a secret rotation, with its new secret: the one moment the
 * secret exists outside the client that holds it.
 *
 * @param client the stored client
 * @param secret the new secret; null for a public client
 */
public record CreatedClient(OAuthClient client, String secret) {}
