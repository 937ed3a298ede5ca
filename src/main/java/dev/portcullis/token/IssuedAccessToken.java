package dev.portcullis.token;

import java.time.Instant;

/**
 * A freshly signed access token.
 *
 * @param value the compact JWS
 * @param expiresAt its {@code exp}
 * @param scope its {@code scope}
 */
public record IssuedAccessToken(String value, Instant expiresAt, String scope) {}
