package dev.portcullis.audit;

import dev.portcullis.problem.ProblemException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.TransactionalException;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Records audit events: one row in {@code audit_events}, sealed onto the hash chain ({@link
 * AuditChain}), and one structured log line each.
 *
 * <p>Joins the caller's transaction when there is one, so an event and the change it describes
 * commit together. A caller without a transaction (a login, a refresh) waits while its event is
 * written in a short transaction shared with the events of other such callers ({@link
 * GroupCommit}): appends are ordered by a row lock on the chain head held until the commit, so one
 * commit per event would cap every node's audited requests at one disk flush each; one commit per
 * batch does not. Either way the caller returns only once its event is committed, and if it cannot
 * be written the caller's operation fails too (503): there is no unaudited success. User-controlled
 * text is escaped so it cannot forge log lines. Thread-safe.
 */
@ApplicationScoped
public class AuditLog {

  private static final Logger LOG = Logger.getLogger("dev.portcullis.audit");
  private static final int MAX_BATCH = 256;

  @PersistenceContext EntityManager em;

  @Resource(lookup = "java:comp/TransactionSynchronizationRegistry")
  TransactionSynchronizationRegistry transactions;

  @Inject AuditChainAppender appender;

  private GroupCommit<AuditRecord> batches;

  @PostConstruct
  void start() {
    batches = new GroupCommit<>(records -> appender.append(records), MAX_BATCH);
  }

  public void record(AuditRecord record) {
    if (transactions.getTransactionStatus() == Status.STATUS_NO_TRANSACTION) {
      try {
        batches.submit(record);
      } catch (PersistenceException | TransactionalException e) {
        throw unwritten(e);
      }
    } else {
      // the caller's own pending changes fail as themselves, not as an audit failure
      em.flush();
      try {
        appender.append(List.of(record));
      } catch (PersistenceException e) {
        throw unwritten(e);
      }
    }
    if (LOG.isLoggable(Level.INFO)) {
      LOG.info(line(record));
    }
  }

  private static ProblemException unwritten(RuntimeException e) {
    LOG.log(Level.WARNING, "Audit event could not be written: {0}", e.getClass().getName());
    return ProblemException.unavailable();
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
        + escape(client.requestId())
        + " detail="
        + escape(r.detail());
  }

  /**
   * Quotes a value and escapes anything that could end, fake or visually reorder a log line: CR,
   * LF, the quote and backslash, every other control character (C0, DEL, C1 including NEL), the
   * Unicode line and paragraph separators (U+2028, U+2029, which some viewers and JSON-based
   * collectors treat as line ends), every format character (category Cf: the bidirectional controls
   * U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069 that make a viewer show text in another
   * order than it was written — "Trojan Source", CVE-2021-42574 — and zero-width characters) and
   * unpaired surrogates. Each becomes a backslash, {@code u} and the four hex digits of its UTF-16
   * code unit (two such for a supplementary character); everything else is kept.
   */
  public static String escape(String value) {
    if (value == null) {
      return "-";
    }
    var out = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (Character.isHighSurrogate(c)
              && i + 1 < value.length()
              && Character.isLowSurrogate(value.charAt(i + 1))) {
            int codePoint = value.codePointAt(i);
            if (mustEscape(codePoint)) {
              out.append(String.format("\\u%04x\\u%04x", (int) c, (int) value.charAt(i + 1)));
            } else {
              out.appendCodePoint(codePoint);
            }
            i++;
          } else if (mustEscape(c) || Character.isSurrogate(c)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private static boolean mustEscape(int codePoint) {
    return switch (Character.getType(codePoint)) {
      case Character.CONTROL,
          Character.FORMAT,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR ->
          true;
      default -> false;
    };
  }
}
