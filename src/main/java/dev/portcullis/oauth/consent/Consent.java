package dev.portcullis.oauth.consent;

import java.time.Instant;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a user approved for one OAuth client on the consent page: the scopes, and when the client
 * was first approved. Immutable; {@link #scopes()} is sorted.
 *
 * @param clientId the client's id
 * @param scopes every scope the user approved for it so far
 * @param grantedAt when the user first approved the client
 */
public record Consent(String clientId, Set<String> scopes, Instant grantedAt) {

  public Consent {
    scopes = Collections.unmodifiableSortedSet(new TreeSet<>(scopes));
  }
}
