package dev.portcullis.token;

import java.time.Instant;
import java.util.List;

/**
 * CDI event fired in the transaction that revokes refresh-token families; {@link RevokedSessions}
 * applies it once the transaction has committed.
 *
 * @param sessionIds the revoked families ({@code sid} values)
 * @param revokedAt when
 */
public record SessionsRevoked(List<String> sessionIds, Instant revokedAt) {}
