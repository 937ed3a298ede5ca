package dev.portcullis.apikey;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * What verifying a key needs, cached in memory; holds hashes only.
 *
 * @param id the key id
 * @param ownerId the owning user
 * @param scopes the key's scopes
 * @param audience the service the key is for, or null for any
 * @param secretHash SHA-256 (hex) of the current secret
 * @param previousSecretHash SHA-256 of the secret before the last rotation, during its grace
 * @param previousValidUntil end of that grace period
 * @param expiresAt expiry, or null
 * @param revokedAt revocation time, or null
 */
public record ApiKeyRecord(
    String id,
    UUID ownerId,
    Set<String> scopes,
    String audience,
    String secretHash,
    String previousSecretHash,
    Instant previousValidUntil,
    Instant expiresAt,
    Instant revokedAt) {}
