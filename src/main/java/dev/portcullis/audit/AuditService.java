package dev.portcullis.audit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import java.util.List;
import java.util.Optional;

/**
 * Reads the audit log for administrators: filtered, paged listing and verification of the hash
 * chain. Writing is {@link AuditLog}'s job. Thread-safe.
 */
@ApplicationScoped
public class AuditService {

  /** Rows read per query while verifying, so the chain is never held in memory whole. */
  static final int VERIFY_PAGE = 1_000;

  @PersistenceContext EntityManager em;

  /** The outcome of {@link #verify()}. */
  public record ChainReport(long checked, long unchained, Optional<AuditChain.Break> broken) {}

  /** Events matching {@code filter}, newest first. */
  public List<AuditEvent> list(AuditQuery filter, int offset, int limit) {
    return query(filter, "SELECT e FROM AuditEvent e", " ORDER BY e.id DESC", AuditEvent.class)
        .setFirstResult(offset)
        .setMaxResults(limit)
        .getResultList();
  }

  public long count(AuditQuery filter) {
    return query(filter, "SELECT COUNT(e) FROM AuditEvent e", "", Long.class).getSingleResult();
  }

  /**
   * Walks the chain in id order up to the head as it is now, page by page; rows appended meanwhile
   * are left for the next run.
   */
  public ChainReport verify() {
    Object[] head =
        (Object[])
            em.createNativeQuery(
                    "SELECT chain_start_id, last_id, last_hash FROM audit_chain_head WHERE id = 1")
                .getSingleResult();
    long chainStart = ((Number) head[0]).longValue();
    long lastId = ((Number) head[1]).longValue();
    var check = new AuditChain.Verification(chainStart);
    long after = chainStart;
    while (after < lastId) {
      List<AuditEvent> page =
          em.createNamedQuery(AuditEvent.CHAIN_PAGE, AuditEvent.class)
              .setParameter("after", after)
              .setParameter("last", lastId)
              .setMaxResults(VERIFY_PAGE)
              .getResultList();
      if (page.isEmpty()) {
        break;
      }
      for (var event : page) {
        if (check.accept(event.link()).isPresent()) {
          return report(check, chainStart);
        }
        after = event.id();
      }
      em.clear();
    }
    check.finish(lastId, (String) head[2]);
    return report(check, chainStart);
  }

  private ChainReport report(AuditChain.Verification check, long chainStart) {
    long unchained =
        em.createNamedQuery(AuditEvent.COUNT_UNCHAINED, Long.class)
            .setParameter("chainStart", chainStart)
            .getSingleResult();
    return new ChainReport(check.checked(), unchained, check.broken());
  }

  private <T> TypedQuery<T> query(AuditQuery filter, String select, String order, Class<T> type) {
    var where = new StringBuilder(" WHERE 1 = 1");
    if (filter.type() != null) {
      where.append(" AND e.type = :type");
    }
    if (filter.subject() != null) {
      where.append(" AND e.subject = :subject");
    }
    if (filter.outcome() != null) {
      where.append(" AND e.outcome = :outcome");
    }
    if (filter.since() != null) {
      where.append(" AND e.occurredAt >= :since");
    }
    if (filter.until() != null) {
      where.append(" AND e.occurredAt < :until");
    }
    var query = em.createQuery(select + where + order, type);
    if (filter.type() != null) {
      query.setParameter("type", filter.type().name());
    }
    if (filter.subject() != null) {
      query.setParameter("subject", filter.subject());
    }
    if (filter.outcome() != null) {
      query.setParameter("outcome", filter.outcome().name());
    }
    if (filter.since() != null) {
      query.setParameter("since", filter.since());
    }
    if (filter.until() != null) {
      query.setParameter("until", filter.until());
    }
    return query;
  }
}
