package dev.portcullis.upstream;

import dev.portcullis.secret.OpaqueTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The started sign-ins, server-side ({@code upstream_sign_in_attempts}): {@code state}, {@code
 * nonce} and the PKCE verifier are 256-bit random values made here; only the state travels through
 * the browser, and only its SHA-256 is stored. {@link #redeem} takes an attempt once: a conditional
 * delete decides, so of two callbacks with the same state at most one gets it, and a failed check
 * later spends it too (a callback is never tried twice). Expired attempts are removed on every
 * start. Thread-safe.
 */
@ApplicationScoped
public class SignInAttempts {

  @PersistenceContext EntityManager em;

  @Inject Clock clock;
  @Inject UpstreamSettings settings;

  /** What a new attempt hands the browser and the provider. */
  record Started(String state, String nonce, String codeVerifier) {}

  /** Stores a new attempt. */
  @Transactional
  Started start(
      UpstreamProvider provider,
      String browserBinding,
      String redirectUri,
      String next,
      UUID linkUserId,
      UUID linkSessionId) {
    Instant now = clock.instant();
    em.createQuery("delete from SignInAttempt a where a.expiresAt < :now")
        .setParameter("now", now)
        .executeUpdate();
    var started = new Started(OpaqueTokens.random(), OpaqueTokens.random(), OpaqueTokens.random());
    em.persist(
        new SignInAttempt(
            OpaqueTokens.sha256(started.state()),
            OpaqueTokens.sha256(browserBinding),
            provider.id(),
            started.nonce(),
            started.codeVerifier(),
            redirectUri,
            next,
            linkUserId,
            linkSessionId,
            now,
            now.plus(settings.attemptTtl())));
    return started;
  }

  /**
   * Takes the attempt with this state, once: empty when there is none (never started, already
   * taken, or expired).
   */
  @Transactional
  Optional<SignInAttempt> redeem(String state) {
    if (state == null || state.isEmpty() || state.length() > 128) {
      return Optional.empty();
    }
    String hash = OpaqueTokens.sha256(state);
    var attempt = em.find(SignInAttempt.class, hash);
    if (attempt == null) {
      return Optional.empty();
    }
    int taken =
        em.createQuery("delete from SignInAttempt a where a.stateHash = :hash")
            .setParameter("hash", hash)
            .executeUpdate();
    if (taken != 1 || !clock.instant().isBefore(attempt.expiresAt())) {
      return Optional.empty();
    }
    return Optional.of(attempt);
  }
}
