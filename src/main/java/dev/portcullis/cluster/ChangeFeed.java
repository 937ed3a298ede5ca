package dev.portcullis.cluster;

import dev.portcullis.apikey.ApiKeyChanged;
import dev.portcullis.session.SessionChanged;
import dev.portcullis.token.SessionsRevoked;
import dev.portcullis.token.SigningKeyChanged;
import dev.portcullis.user.UserChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Carries cache invalidations between the nodes that share one database, so that a revoked API key,
 * an ended session, a disabled user, a logged-out refresh-token family or a rotated or revoked
 * signing key takes effect on every node within a second (SPEC 3.3, 3.9), while each node's caches
 * keep their entries for as long as nothing changes — so authentication on the hot path costs no
 * database round trip.
 *
 * <p>Writing: the change events ({@link UserChanged}, {@link ApiKeyChanged}, {@link
 * SessionChanged}, {@link SessionsRevoked}, {@link SigningKeyChanged}) are observed inside the
 * transaction that makes the change, which also inserts one {@code cluster_changes} row per changed
 * item: the row exists if and only if the change committed. The node that made the change also
 * drops its own entries at once (each cache observes its event after completion).
 *
 * <p>Reading: {@link #poll} (every 0.5 s, from the server's scheduler) reads every row of the last
 * {@value #LOOK_BACK_SECONDS} s by the database's clock (no clock skew between nodes matters) and
 * fires {@link StaleEntries} for the rows it has not delivered before ({@link ChangeWindow}). If
 * the feed could not be read for longer than is safe (database unreachable), every cache is
 * emptied. Rows older than an hour are deleted by {@link #purge}.
 *
 * <p>Keys in the feed are ids and hashes, never a secret. Thread-safe.
 */
@ApplicationScoped
public class ChangeFeed {

  static final int LOOK_BACK_SECONDS = 30;

  /** The longest a transaction may take between inserting a row and committing it. */
  static final Duration MAX_TRANSACTION = Duration.ofSeconds(10);

  private static final Logger LOG = Logger.getLogger(ChangeFeed.class.getName());
  private static final String INSERT =
      "INSERT INTO cluster_changes (kind, item_key) VALUES (?1, ?2)";
  private static final String WINDOW =
      "SELECT seq, kind, item_key FROM cluster_changes WHERE created_at > CURRENT_TIMESTAMP"
          + " - INTERVAL '"
          + LOOK_BACK_SECONDS
          + "' SECOND";
  private static final String PURGE =
      "DELETE FROM cluster_changes WHERE created_at < CURRENT_TIMESTAMP - INTERVAL '3600' SECOND";

  @PersistenceContext EntityManager em;

  @Inject Event<StaleEntries> stale;
  @Inject Clock clock;

  private final ChangeWindow window =
      new ChangeWindow(Duration.ofSeconds(LOOK_BACK_SECONDS), MAX_TRANSACTION);

  @Transactional
  void onUserChanged(@Observes UserChanged change) {
    if (change.change() != UserChanged.Change.CREATED) {
      append(ChangeKind.USER, List.of(change.userId().toString()));
    }
  }

  @Transactional
  void onApiKeyChanged(@Observes ApiKeyChanged change) {
    append(ChangeKind.API_KEY, List.of(change.keyId()));
  }

  @Transactional
  void onSessionChanged(@Observes SessionChanged change) {
    append(ChangeKind.SESSION, change.tokenHashes());
  }

  @Transactional
  void onSessionsRevoked(@Observes SessionsRevoked revoked) {
    append(ChangeKind.REVOKED_SID, revoked.sessionIds());
  }

  @Transactional
  void onSigningKeyChanged(@Observes SigningKeyChanged change) {
    append(ChangeKind.SIGNING_KEY, List.of(change.kid()));
  }

  /**
   * Reads the feed and fires {@link StaleEntries} for what changed since the last read, on any node
   * (this one's own changes come back too; dropping an entry twice costs one reload).
   */
  @Transactional // a transaction-scoped EntityManager outside a request needs one
  public synchronized void poll() {
    var now = clock.instant();
    if (window.mayHaveMissed(now)) {
      LOG.warning("The change feed could not be read for a while: every cache is emptied");
      stale.fire(StaleEntries.all());
    }
    var rows = new ArrayList<ChangeWindow.Change>();
    for (Object row : em.createNativeQuery(WINDOW).getResultList()) {
      var columns = (Object[]) row;
      var kind = kindOf((String) columns[1]);
      if (kind != null) {
        rows.add(
            new ChangeWindow.Change(((Number) columns[0]).longValue(), kind, (String) columns[2]));
      }
    }
    var byKind = new LinkedHashMap<ChangeKind, List<String>>();
    for (var change : window.next(rows, now)) {
      byKind.computeIfAbsent(change.kind(), k -> new ArrayList<>()).add(change.key());
    }
    byKind.forEach((kind, keys) -> stale.fire(StaleEntries.of(kind, keys)));
  }

  /** Deletes rows no read can need any more; called by the housekeeping. */
  @Transactional
  public void purge() {
    em.createNativeQuery(PURGE).executeUpdate();
  }

  private void append(ChangeKind kind, List<String> keys) {
    var insert = em.createNativeQuery(INSERT);
    for (String key : keys) {
      insert.setParameter(1, kind.name()).setParameter(2, key).executeUpdate();
    }
  }

  private static ChangeKind kindOf(String name) {
    try {
      return ChangeKind.valueOf(name);
    } catch (IllegalArgumentException e) {
      // a newer node's kind: nothing here caches it
      LOG.log(Level.FINE, "Unknown change kind {0}", name);
      return null;
    }
  }
}
