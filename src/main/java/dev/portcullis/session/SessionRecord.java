package dev.portcullis.session;

import java.time.Instant;
import java.util.UUID;

/**
 * What validating a session cookie needs, cached in memory.
 *
 * @param id the session id (public; the {@code sid} of the caller)
 * @param userId the user
 * @param csrfToken the token unsafe cookie-authenticated API calls must echo
 * @param lastSeenAt last activity stored in the database
 * @param absoluteExpiresAt the hard end
 * @param revokedAt revocation time, or null
 * @param createdAt when the user signed in (OpenID {@code auth_time})
 * @param authMethod how the user signed in ({@link dev.portcullis.caller.AuthMethod} wire name)
 */
public record SessionRecord(
    UUID id,
    UUID userId,
    String csrfToken,
    Instant lastSeenAt,
    Instant absoluteExpiresAt,
    Instant revokedAt,
    Instant createdAt,
    String authMethod) {

  @Override
  public String toString() {
    return "SessionRecord[id=" + id + ", user=" + userId + "]";
  }
}
