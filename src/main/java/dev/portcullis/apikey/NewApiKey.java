package dev.portcullis.apikey;

import java.time.Instant;
import java.util.Set;

/**
 * What a caller asks for when creating a key.
 *
 * @param name a label for the owner
 * @param scopes the scopes; each must be a role the owner holds
 * @param audience the one service the key is for, or null
 * @param expiresAt expiry, or null for none
 */
public record NewApiKey(String name, Set<String> scopes, String audience, Instant expiresAt) {}
