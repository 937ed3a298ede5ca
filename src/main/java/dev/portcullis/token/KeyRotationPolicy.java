package dev.portcullis.token;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When the next signing key must be created: a key signs for {@code rotationPeriod}; its successor
 * is published {@code publishLead} before it takes over, so verifiers that cache the JWKS (MP-JWT
 * on Payara: 5 minutes, no re-fetch on an unknown kid) already know it.
 *
 * @param rotationPeriod how long one key signs
 * @param publishLead how long a new key is published before it signs
 */
public record KeyRotationPolicy(Duration rotationPeriod, Duration publishLead) {

  /**
   * The activation time of the key to create now for {@code algorithm}, or empty if none is due.
   * With no signing key at all, the answer is {@code now}: something must sign at once.
   */
  public Optional<Instant> nextActivation(KeyRing ring, String algorithm, Instant now) {
    var current = ring.signingKey(algorithm, now);
    if (current.isEmpty()) {
      return Optional.of(now);
    }
    if (ring.pendingKey(algorithm, now).isPresent()) {
      return Optional.empty();
    }
    Instant due = current.get().activatesAt().plus(rotationPeriod);
    if (now.isBefore(due.minus(publishLead))) {
      return Optional.empty();
    }
    Instant earliest = now.plus(publishLead);
    return Optional.of(due.isAfter(earliest) ? due : earliest);
  }
}
