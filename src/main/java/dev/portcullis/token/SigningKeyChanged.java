package dev.portcullis.token;

/**
 * CDI event fired in the transaction that creates (on schedule or "rotate now") or revokes a
 * token-signing key; the change feed carries it to the other nodes, which reload their key ring.
 *
 * @param kid the key
 */
public record SigningKeyChanged(String kid) {}
