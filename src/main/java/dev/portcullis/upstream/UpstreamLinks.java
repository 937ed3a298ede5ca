package dev.portcullis.upstream;

import dev.portcullis.audit.AuditEventType;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.problem.ErrorCode;
import dev.portcullis.problem.ProblemException;
import dev.portcullis.user.User;
import dev.portcullis.web.ClientInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The links between local accounts and upstream accounts (SPEC 3.7): the account page lists and
 * removes a user's own ({@link #of}, {@link #unlink}), the admin API lists anyone's, and {@link
 * UpstreamSignIns} finds ({@link #find}) and makes ({@link #link}) them.
 *
 * <p>Unlinking the last way a user can sign in (no password and no other link) is refused with 409
 * {@code LAST_SIGN_IN_METHOD}; the check runs under the user row's lock, so two unlinks at once
 * cannot both pass it. Every link and unlink is audited in its transaction. Thread-safe.
 */
@ApplicationScoped
public class UpstreamLinks {

  @PersistenceContext EntityManager em;

  @Inject AuditLog audit;
  @Inject Clock clock;

  /** The user's links, oldest first. */
  @Transactional
  public List<UpstreamLink> of(UUID userId) {
    return em.createNamedQuery(UpstreamLink.OF_USER, UpstreamLink.class)
        .setParameter("user", userId)
        .getResultList();
  }

  /** The link of this upstream account, if it is linked. */
  @Transactional
  public Optional<UpstreamLink> find(String issuer, String subject) {
    return em.createNamedQuery(UpstreamLink.BY_SUBJECT, UpstreamLink.class)
        .setParameter("issuer", issuer)
        .setParameter("subject", subject)
        .getResultStream()
        .findFirst();
  }

  /**
   * Removes one of the user's own links.
   *
   * @param actor who asked (the user's id, or an administrator's)
   * @throws ProblemException 404 {@code NOT_FOUND} when the link is not the user's; 409 {@code
   *     LAST_SIGN_IN_METHOD} when it is the user's only way to sign in
   */
  @Transactional
  public void unlink(UUID userId, UUID linkId, String actor, ClientInfo client) {
    var user = em.find(User.class, userId, LockModeType.PESSIMISTIC_WRITE);
    var link = linkId == null ? null : em.find(UpstreamLink.class, linkId);
    if (user == null || link == null || !link.userId().equals(userId)) {
      throw new ProblemException(ErrorCode.NOT_FOUND, "No such linked account");
    }
    if (user.passwordHash() == null && of(userId).size() <= 1) {
      throw new ProblemException(
          ErrorCode.LAST_SIGN_IN_METHOD,
          "This is your only way to sign in; set a password or link another account first");
    }
    em.remove(link);
    audit.record(
        AuditRecord.success(AuditEventType.UPSTREAM_UNLINKED, userId.toString(), client)
            .by(actor)
            .withDetail("provider=" + link.providerId() + " issuer=" + link.issuer()));
  }

  /**
   * Links an upstream account to a user, in the caller's transaction; the unique (issuer, subject)
   * constraint refuses a second owner at flush.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  UpstreamLink link(
      UUID userId, UpstreamProvider provider, UpstreamIdentity identity, ClientInfo client) {
    var link = new UpstreamLink(userId, provider.id(), identity, clock.instant());
    em.persist(link);
    em.flush();
    audit.record(
        AuditRecord.success(AuditEventType.UPSTREAM_LINKED, userId.toString(), client)
            .by(userId.toString())
            .withDetail("provider=" + provider.id() + " issuer=" + identity.issuer()));
    return link;
  }
}
