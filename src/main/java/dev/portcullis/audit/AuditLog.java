package dev.portcullis.audit;

import dev.portcullis.problem.ProblemException;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;
import org.hibernate.Session;

/**
 * Records audit events: one row in {@code audit_events}, sealed onto the hash chain ({@link
 * AuditChain}), and one structured log line each.
 *
 * <p>Joins the caller's transaction when there is one, so an event and the change it describes
 * commit together; otherwise it runs in a short transaction of its own. If the row cannot be
 * written the caller's operation fails too (503): there is no unaudited success.
 *
 * <p>Appends are ordered by a row lock on the one-row {@code audit_chain_head} ({@code SELECT ...
 * FOR UPDATE}), held from the read of the last hash to the commit. Only that short append is
 * serialised, never the password hashing around it, and because the lock lives in the database it
 * orders appends from every server node. Callers should audit last in their transaction, so the
 * lock is held only for the commit. User-controlled text is escaped so it cannot forge log lines.
 * Thread-safe.
 */
@ApplicationScoped
public class AuditLog {

  private static final Logger LOG = Logger.getLogger("dev.portcullis.audit");

  @PersistenceContext EntityManager em;

  @Inject Clock clock;

  private AuditSettings settings;
  private volatile Boolean postgres;

  @PostConstruct
  void readSettings() {
    settings = AuditSettings.read(ConfigProvider.getConfig());
  }

  @Transactional
  public void record(AuditRecord record) {
    // the caller's own pending changes fail as themselves, not as an audit failure
    em.flush();
    try {
      append(record);
    } catch (PersistenceException e) {
      LOG.log(Level.WARNING, "Audit event could not be written: {0}", e.getClass().getName());
      throw ProblemException.unavailable();
    }
    if (LOG.isLoggable(Level.INFO)) {
      LOG.info(line(record));
    }
  }

  private void append(AuditRecord record) {
    if (isPostgres()) {
      // a node that hangs while holding the head must not stall every login on every node
      em.createNativeQuery("SET LOCAL lock_timeout = '" + settings.lockTimeout().toMillis() + "ms'")
          .executeUpdate();
    }
    Object[] head =
        (Object[])
            em.createNativeQuery(
                    "SELECT last_id, last_hash FROM audit_chain_head WHERE id = 1 FOR UPDATE")
                .getSingleResult();
    long id = ((Number) head[0]).longValue() + 1;
    var event = new AuditEvent(id, clock.instant(), record, (String) head[1]);
    em.persist(event);
    em.createNativeQuery("UPDATE audit_chain_head SET last_id = ?1, last_hash = ?2 WHERE id = 1")
        .setParameter(1, id)
        .setParameter(2, event.recordHash())
        .executeUpdate();
    em.flush();
  }

  private boolean isPostgres() {
    Boolean known = postgres;
    if (known == null) {
      known =
          em.unwrap(Session.class)
              .doReturningWork(
                  c ->
                      c.getMetaData()
                          .getDatabaseProductName()
                          .toLowerCase(Locale.ROOT)
                          .contains("postgres"));
      postgres = known;
    }
    return known;
  }

  static String line(AuditRecord r) {
    var client = r.client() == null ? ClientInfo.SYSTEM : r.client();
    return "audit type="
        + r.type()
        + " outcome="
        + r.outcome()
        + " reason="
        + escape(r.reason())
        + " subject="
        + escape(r.subject())
        + " actor="
        + escape(r.actor())
        + " ip="
        + escape(client.ip())
        + " ua="
        + escape(client.userAgent())
        + " request="
        + escape(client.requestId());
  }

  /** Quotes a value and escapes anything that could end or fake a log line. */
  static String escape(String value) {
    if (value == null) {
      return "-";
    }
    var out = new StringBuilder(value.length() + 2).append('"');
    for (char c : value.toCharArray()) {
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (Character.isISOControl(c)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
