package dev.portcullis.token;

import dev.portcullis.cluster.Change;
import dev.portcullis.cluster.ChangeKind;
import dev.portcullis.cluster.StaleEntries;
import dev.portcullis.config.Settings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory set of revoked sessions ({@code sid}s) whose access tokens may still be unexpired,
 * so rejecting the access tokens of a logged-out, disabled or password-changed user costs no
 * database round trip per request.
 *
 * <p>The database is the source of truth ({@code refresh_families.revoked_at}): the set is loaded
 * from it at start-up (so revocations survive restarts), updated when a revocation commits (on
 * another node: within about a second, through the {@link dev.portcullis.cluster.ChangeFeed}), and
 * pruned of entries whose tokens have all expired. Thread-safe.
 */
@ApplicationScoped
public class RevokedFamilies {

  @PersistenceContext EntityManager em;

  @Inject Settings settings;
  @Inject Clock clock;

  private final Map<String, Instant> revokedUntil = new ConcurrentHashMap<>();

  /** Loads every revocation that can still matter. */
  @Transactional
  public void load() {
    Instant since = clock.instant().minus(settings.maxTokenLifetime());
    for (Object[] row :
        em.createNamedQuery(RefreshFamily.RECENTLY_REVOKED, Object[].class)
            .setParameter("since", since)
            .getResultList()) {
      add(row[0].toString(), (Instant) row[1]);
    }
  }

  public boolean isRevoked(String sessionId) {
    return sessionId != null && revokedUntil.containsKey(sessionId);
  }

  /** Forgets revocations whose access tokens have all expired. */
  public void prune() {
    Instant now = clock.instant();
    revokedUntil.values().removeIf(until -> until.isBefore(now));
  }

  /**
   * A revocation committed here: counted from now, a moment after it, so kept at least as long.
   * Before the set exists (it is created and loaded at start-up) the database holds the revocation.
   */
  void onRevoked(
      @Observes(during = TransactionPhase.AFTER_SUCCESS, notifyObserver = Reception.IF_EXISTS)
          Change change) {
    Instant now = clock.instant();
    change.keysOf(ChangeKind.REVOKED_SID).forEach(id -> add(id, now));
  }

  void onStale(@Observes StaleEntries stale) {
    if (stale.everything()) {
      load();
      return;
    }
    // the feed says only that it was revoked: counting from now keeps it at least as long
    Instant now = clock.instant();
    stale.keysOf(ChangeKind.REVOKED_SID).forEach(id -> add(id, now));
  }

  private void add(String sessionId, Instant revokedAt) {
    revokedUntil.put(sessionId, revokedAt.plus(settings.maxTokenLifetime()));
  }
}
