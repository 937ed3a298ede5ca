package dev.portcullis.oauth.consent;

import dev.portcullis.audit.AuditEventType;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.problem.ProblemException;
import dev.portcullis.web.ClientInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * One attempt at recording a grant, in a transaction of its own, so {@link Consents#grant} can try
 * again in a fresh one when a concurrent first grant of the same user and client inserted the row
 * first (PostgreSQL cannot go on in a transaction after a failed insert).
 *
 * <p>An existing row is read under its row lock ({@code SELECT ... FOR UPDATE}) and the union is
 * written back before the lock is released: grants of one user and client serialise, and none loses
 * another's scopes. Thread-safe.
 */
@ApplicationScoped
public class ConsentRecords {

  @PersistenceContext EntityManager em;

  @Inject AuditLog audit;
  @Inject Clock clock;

  /**
   * Adds {@code scopes} to the user's consent for the client (creating it), and audits {@code
   * CONSENT_GRANTED}, in a new transaction. A concurrent first grant of the same pair makes this
   * one fail with a duplicate key at the insert (flushed here, not at commit).
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void grant(UUID userId, String clientId, Set<String> scopes, ClientInfo client) {
    Instant now = clock.instant();
    var row =
        em.find(
            ClientConsent.class,
            ClientConsent.key(userId, clientId),
            LockModeType.PESSIMISTIC_WRITE);
    var before = row == null ? Set.<String>of() : row.scopes();
    var after = new TreeSet<>(before);
    after.addAll(scopes);
    if (ClientConsent.join(after).length() > ClientConsent.SCOPES_MAX) {
      throw ProblemException.validation("too many scopes for one client");
    }
    if (row == null) {
      em.persist(new ClientConsent(userId, clientId, after, now));
      em.flush();
    } else {
      row.add(scopes, now);
    }
    var added = new TreeSet<>(after);
    added.removeAll(before);
    audit.record(
        AuditRecord.success(AuditEventType.CONSENT_GRANTED, userId.toString(), client)
            .withDetail(
                "client_id="
                    + clientId
                    + " added="
                    + ClientConsent.join(added)
                    + " scopes="
                    + ClientConsent.join(after)));
  }
}
