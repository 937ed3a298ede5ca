package dev.portcullis.cluster;

import dev.portcullis.database.DatabaseProduct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.hibernate.Session;

/**
 * Carries cache invalidations between the nodes that share one database, so that a revoked API key,
 * an ended session, a disabled user, a logged-out refresh-token family or a rotated or revoked
 * signing key takes effect on every node within a second (SPEC 3.3, 3.9), while each node's caches
 * keep their entries for as long as nothing changes — so authentication on the hot path costs no
 * database round trip.
 *
 * <p>Writing: the one event features publish, {@link Change}, is observed inside the transaction
 * that makes the change, which also inserts one {@code cluster_changes} row per changed item: the
 * row exists if and only if the change committed. The node that made the change also drops its own
 * entries at once (each cache observes its event after completion).
 *
 * <p>Reading: {@link #poll} (every 0.5 s, from the server's scheduler) fires {@link StaleEntries}
 * for the rows committed since its previous read, on any node.
 *
 * <ul>
 *   <li>On PostgreSQL every row carries its writer's transaction id ({@code tx}, V8), and the
 *       reader keeps the snapshot of its previous read ({@link SnapshotCursor}): each read takes
 *       exactly the rows that snapshot could not see, in the same statement that takes the next
 *       snapshot. A row is read once its transaction commits, however long that transaction ran,
 *       and a node that could not reach the database reads everything it missed when it can; only
 *       if it was away for longer than rows are kept ({@value #READABLE_FOR_MINUTES} minutes) is
 *       every cache emptied.
 *   <li>On H2 (one node's database, or processes on one machine in tests) there are no transaction
 *       ids to read by: the reader reads every row of the last {@value #LOOK_BACK_SECONDS} s by the
 *       database's clock and skips those delivered before ({@link ChangeWindow}); a transaction
 *       must commit within {@link #MAX_TRANSACTION} of its insert, and a reader cut off for longer
 *       than the window allows empties every cache.
 * </ul>
 *
 * <p>Rows older than an hour are deleted by {@link #purge}. Keys in the feed are ids and hashes,
 * never a secret. Thread-safe.
 */
@ApplicationScoped
public class ChangeFeed {

  /** H2: how far back each read looks, by the database's clock. */
  static final int LOOK_BACK_SECONDS = 30;

  /** H2: the longest a transaction may take between inserting a row and committing it. */
  static final Duration MAX_TRANSACTION = Duration.ofSeconds(10);

  /**
   * PostgreSQL: how long after a read the rows it has not seen yet are certainly kept (rows are
   * deleted an hour after their transaction started).
   */
  static final int READABLE_FOR_MINUTES = 45;

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

  /**
   * PostgreSQL: the rows the previous snapshot ({@code ?1}) could not see, and in the same
   * statement (so under the same snapshot) the snapshot to read from next time: one row with only
   * the snapshot, the others with only a change.
   */
  private static final String SINCE_SNAPSHOT =
      "SELECT CAST(pg_current_snapshot() AS TEXT), NULL, NULL, NULL"
          + " UNION ALL SELECT NULL, seq, kind, item_key FROM cluster_changes"
          + " WHERE tx >= pg_snapshot_xmin(CAST(?1 AS pg_snapshot))"
          + " AND NOT pg_visible_in_snapshot(tx, CAST(?1 AS pg_snapshot))";

  private static final String CURRENT_SNAPSHOT = "SELECT CAST(pg_current_snapshot() AS TEXT)";

  @PersistenceContext EntityManager em;

  @Inject Event<StaleEntries> stale;
  @Inject Clock clock;

  private final ChangeWindow window =
      new ChangeWindow(Duration.ofSeconds(LOOK_BACK_SECONDS), MAX_TRANSACTION);
  private final SnapshotCursor cursor =
      new SnapshotCursor(Duration.ofMinutes(READABLE_FOR_MINUTES));

  /** Set by {@link #start}; until then nothing is read. */
  private volatile DatabaseProduct database;

  /**
   * Called once at start-up, right after the migrations and before any cache is filled: on
   * PostgreSQL, takes the snapshot the first read goes on from, so that every change committed
   * after it — even by a transaction already running — reaches this node's caches.
   */
  @Transactional
  public synchronized void start() {
    var product = em.unwrap(Session.class).doReturningWork(DatabaseProduct::of);
    if (product == DatabaseProduct.POSTGRESQL) {
      cursor.advance((String) em.createNativeQuery(CURRENT_SNAPSHOT).getSingleResult(), now());
    }
    database = product;
  }

  @Transactional
  void onChange(@Observes Change change) {
    append(change.kind(), change.keys());
  }

  /**
   * Reads the feed and fires {@link StaleEntries} for what changed since the last read, on any node
   * (this one's own changes come back too; dropping an entry twice costs one reload). A read whose
   * delivery fails is read again next time.
   */
  @Transactional // a transaction-scoped EntityManager outside a request needs one
  public synchronized void poll() {
    var product = database;
    if (product == DatabaseProduct.POSTGRESQL) {
      pollSinceSnapshot();
    } else if (product == DatabaseProduct.H2) {
      pollWindow();
    }
  }

  private void pollSinceSnapshot() {
    var now = now();
    if (cursor.mayHaveMissed(now)) {
      LOG.warning("The change feed could not be read for too long: every cache is emptied");
      stale.fire(StaleEntries.all());
    }
    String next = null;
    var rows = new ArrayList<ChangeWindow.Change>();
    for (Object row :
        em.createNativeQuery(SINCE_SNAPSHOT).setParameter(1, cursor.snapshot()).getResultList()) {
      var columns = (Object[]) row;
      if (columns[0] != null) {
        next = (String) columns[0];
      } else {
        addKnown(rows, columns[1], columns[2], columns[3]);
      }
    }
    rows.sort(Comparator.comparingLong(ChangeWindow.Change::seq));
    deliver(rows);
    cursor.advance(next, now);
  }

  private void pollWindow() {
    var now = now();
    if (window.mayHaveMissed(now)) {
      LOG.warning("The change feed could not be read for a while: every cache is emptied");
      stale.fire(StaleEntries.all());
    }
    var rows = new ArrayList<ChangeWindow.Change>();
    for (Object row : em.createNativeQuery(WINDOW).getResultList()) {
      var columns = (Object[]) row;
      addKnown(rows, columns[0], columns[1], columns[2]);
    }
    deliver(window.next(rows, now));
  }

  private static void addKnown(
      List<ChangeWindow.Change> rows, Object seq, Object kindName, Object key) {
    var kind = kindOf((String) kindName);
    if (kind != null) {
      rows.add(new ChangeWindow.Change(((Number) seq).longValue(), kind, (String) key));
    }
  }

  private void deliver(List<ChangeWindow.Change> changes) {
    var byKind = new LinkedHashMap<ChangeKind, List<String>>();
    for (var change : changes) {
      byKind.computeIfAbsent(change.kind(), k -> new ArrayList<>()).add(change.key());
    }
    byKind.forEach((kind, keys) -> stale.fire(StaleEntries.of(kind, keys)));
  }

  private Instant now() {
    return clock.instant();
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
