package dev.portcullis.oauth.consent;

import dev.portcullis.audit.AuditEventType;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.database.DatabaseFailures;
import dev.portcullis.problem.ProblemException;
import dev.portcullis.web.ClientInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import jakarta.transaction.TransactionalException;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The scopes users approved for OAuth clients on the consent page (SPEC 3.6), kept per user and
 * client in {@code oauth_consents}: the authorization endpoint asks {@link #covers} before it sends
 * a browser to {@code /consent}, the page records an approval with {@link #grant}, and the account
 * page lists ({@link #of}) and withdraws ({@link #revoke}) them.
 *
 * <p>A grant only ever adds: the stored scopes become the union of what was approved before and
 * now, computed under the row's lock, so two grants at once both end up stored (a concurrent first
 * grant that loses the insert is tried again, and then adds to the winner's row). Every grant is
 * audited {@code CONSENT_GRANTED}, every revocation {@code CONSENT_REVOKED}, each in the
 * transaction of its change. A revocation fires {@link ConsentRevoked} synchronously in its
 * transaction, so the tokens issued to the client for the user end with it. A user's consents go
 * with the user ({@code ON DELETE CASCADE}).
 *
 * <p>Scopes are RFC 6749 3.3 scope tokens (printable ASCII without space, {@code "} or {@code \});
 * anything else is refused with 400 {@code VALIDATION_FAILED}, as is a blank or over-long client
 * id. Usage: {@code if (!consents.covers(user, clientId, scopes)) { ...send to /consent... }}.
 * Thread-safe.
 */
@ApplicationScoped
public class Consents {

  /** How often a grant that lost a concurrent first insert is tried again. */
  private static final int GRANT_ATTEMPTS = 3;

  private static final int MAX_SCOPES = 100;

  @PersistenceContext EntityManager em;

  @Inject ConsentRecords records;
  @Inject AuditLog audit;
  @Inject Event<ConsentRevoked> revocations;

  /**
   * Whether the user approved every one of {@code scopes} for the client. With no scopes asked,
   * whether the user approved the client at all.
   */
  @Transactional
  public boolean covers(UUID userId, String clientId, Set<String> scopes) {
    if (userId == null || !isClientId(clientId)) {
      return false;
    }
    var row = em.find(ClientConsent.class, ClientConsent.key(userId, clientId));
    return row != null && row.scopes().containsAll(scopes);
  }

  /**
   * Adds {@code scopes} to what the user approved for the client, and audits {@code
   * CONSENT_GRANTED} (with the client id, the scopes this grant added and all it holds now). Runs
   * in a transaction of its own, committed when this returns.
   *
   * @param client where the request came from, for the audit event
   * @throws ProblemException 400 {@code VALIDATION_FAILED} for a malformed client id or scope
   */
  public void grant(UUID userId, String clientId, Set<String> scopes, ClientInfo client) {
    var valid = validScopes(scopes);
    requireClientId(clientId);
    for (int attempt = 1; ; attempt++) {
      try {
        records.grant(userId, clientId, valid, client);
        return;
      } catch (PersistenceException | TransactionalException e) {
        if (attempt >= GRANT_ATTEMPTS
            || DatabaseFailures.isUnavailable(e)
            || !(isDuplicateKey(e) || DatabaseFailures.isConcurrentChange(e))) {
          throw e;
        }
      }
    }
  }

  /** The user's consents, by client id. */
  @Transactional
  public List<Consent> of(UUID userId) {
    return em.createNamedQuery(ClientConsent.OF_USER, ClientConsent.class)
        .setParameter("user", userId)
        .getResultStream()
        .map(ClientConsent::toConsent)
        .toList();
  }

  /**
   * Withdraws the user's consent for the client: the row is deleted, {@link ConsentRevoked} fired
   * and {@code CONSENT_REVOKED} audited, in one transaction (the caller's, if it has one).
   *
   * @return whether there was a consent to withdraw (if not, nothing is fired or audited)
   */
  @Transactional
  public boolean revoke(UUID userId, String clientId, ClientInfo client) {
    if (userId == null || !isClientId(clientId)) {
      return false;
    }
    int deleted =
        em.createNamedQuery(ClientConsent.DELETE_ONE)
            .setParameter("user", userId)
            .setParameter("client", clientId)
            .executeUpdate();
    if (deleted == 0) {
      return false;
    }
    revocations.fire(new ConsentRevoked(userId, clientId));
    audit.record(
        AuditRecord.success(AuditEventType.CONSENT_REVOKED, userId.toString(), client)
            .withDetail("client_id=" + clientId));
    return true;
  }

  /**
   * Forgets every user's consent for a client that no longer exists, so a client registered later
   * under the same id starts with none; for the observer of the client's removal (in its
   * transaction). Fires and audits nothing: the removal is the audited event.
   *
   * @return how many consents were forgotten
   */
  @Transactional
  public int forgetClient(String clientId) {
    if (!isClientId(clientId)) {
      return 0;
    }
    return em.createNamedQuery(ClientConsent.DELETE_OF_CLIENT)
        .setParameter("client", clientId)
        .executeUpdate();
  }

  /** The scopes, checked as RFC 6749 3.3 scope tokens; 400 if one is not. */
  static SortedSet<String> validScopes(Set<String> scopes) {
    if (scopes == null) {
      throw ProblemException.validation("scopes are required");
    }
    if (scopes.size() > MAX_SCOPES) {
      throw ProblemException.validation("at most " + MAX_SCOPES + " scopes");
    }
    var sorted = new TreeSet<String>();
    for (String scope : scopes) {
      if (!isScopeToken(scope)) {
        throw ProblemException.validation("a scope is not an RFC 6749 scope token");
      }
      sorted.add(scope);
    }
    if (ClientConsent.join(sorted).length() > ClientConsent.SCOPES_MAX) {
      throw ProblemException.validation("too many scopes for one client");
    }
    return sorted;
  }

  /** {@code scope-token = 1*( %x21 / %x23-5B / %x5D-7E )} (RFC 6749 3.3). */
  static boolean isScopeToken(String scope) {
    return scope != null
        && !scope.isEmpty()
        && scope
            .chars()
            .allMatch(c -> c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E));
  }

  static boolean isClientId(String clientId) {
    return clientId != null
        && !clientId.isBlank()
        && clientId.length() <= ClientConsent.CLIENT_ID_MAX
        && clientId.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
  }

  private static void requireClientId(String clientId) {
    if (!isClientId(clientId)) {
      throw ProblemException.validation("client_id is missing or malformed");
    }
  }

  /** Whether the insert lost to a concurrent one: SQLSTATE 23505 (H2 and PostgreSQL). */
  static boolean isDuplicateKey(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }
}
