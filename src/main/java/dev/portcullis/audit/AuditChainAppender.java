package dev.portcullis.audit;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.config.ConfigProvider;
import org.hibernate.Session;

/**
 * Appends audit rows to the chain: reads the head under a row lock ({@code SELECT ... FOR UPDATE}),
 * seals each record onto the previous one with consecutive ids, moves the head. The lock is held to
 * the commit, so appends from every node are ordered by the database; on PostgreSQL a lock that
 * cannot be had within {@link AuditSettings#lockTimeout()} fails the append instead of stalling.
 * Joins the caller's transaction or starts one.
 */
@ApplicationScoped
class AuditChainAppender {

  @PersistenceContext EntityManager em;

  @Inject Clock clock;

  private AuditSettings settings;
  private volatile Boolean postgres;

  @PostConstruct
  void readSettings() {
    settings = AuditSettings.read(ConfigProvider.getConfig());
  }

  @Transactional
  void append(List<AuditRecord> records) {
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
    long id = ((Number) head[0]).longValue();
    String previous = (String) head[1];
    for (var record : records) {
      var event = new AuditEvent(++id, clock.instant(), record, previous);
      em.persist(event);
      previous = event.recordHash();
    }
    em.createNativeQuery("UPDATE audit_chain_head SET last_id = ?1, last_hash = ?2 WHERE id = 1")
        .setParameter(1, id)
        .setParameter(2, previous)
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
}
