package dev.portcullis.audit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Records audit events: one row in {@code audit_events} and one structured log line each.
 *
 * <p>Joins the caller's transaction when there is one, so an event and the change it describes
 * commit together; if the row cannot be written the caller's operation fails too. User-controlled
 * text is escaped so it cannot forge log lines. Thread-safe.
 */
@ApplicationScoped
public class AuditLog {

  private static final Logger LOG = Logger.getLogger("dev.portcullis.audit");

  @PersistenceContext EntityManager em;

  @Inject Clock clock;

  @Transactional
  public void record(AuditRecord record) {
    var event = new AuditEvent(clock.instant(), record);
    em.persist(event);
    if (LOG.isLoggable(Level.INFO)) {
      LOG.info(line(record));
    }
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
        + escape(client.userAgent());
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
