package dev.portcullis.token;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * The claims of an access token whose signature and claims have been verified.
 *
 * @param subject the user id ({@code sub})
 * @param username the {@code upn}
 * @param groups the {@code groups} claim
 * @param sessionId the refresh-token family ({@code sid})
 * @param tokenId the {@code jti}
 * @param expiresAt the {@code exp}
 */
public record AccessToken(
    UUID subject,
    String username,
    Set<String> groups,
    String sessionId,
    String tokenId,
    Instant expiresAt) {}
