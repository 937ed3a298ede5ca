package dev.portcullis.apikey;

/**
 * CDI event fired in the transaction that creates, rotates or revokes a key; the cache drops the
 * key when the transaction completes (the cluster work extends this hook across nodes).
 *
 * @param keyId the key
 */
public record ApiKeyChanged(String keyId) {}
