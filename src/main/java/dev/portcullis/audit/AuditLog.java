package dev.portcullis.audit;

import dev.portcullis.logging.LogValues;
import dev.portcullis.problem.ProblemException;
import dev.portcullis.web.ClientInfo;
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
        + LogValues.escape(r.reason())
        + " subject="
        + LogValues.escape(r.subject())
        + " actor="
        + LogValues.escape(r.actor())
        + " ip="
        + LogValues.escape(client.ip())
        + " ua="
        + LogValues.escape(client.userAgent())
        + " request="
        + LogValues.escape(client.requestId())
        + " detail="
        + LogValues.escape(r.detail());
  }
}
