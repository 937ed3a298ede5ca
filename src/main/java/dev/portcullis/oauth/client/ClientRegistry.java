package dev.portcullis.oauth.client;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.portcullis.audit.AuditEventType;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.audit.Refusals;
import dev.portcullis.cluster.Change;
import dev.portcullis.cluster.ChangeKind;
import dev.portcullis.cluster.StaleEntries;
import dev.portcullis.database.DatabaseFailures;
import dev.portcullis.oauth.wire.OAuthError;
import dev.portcullis.problem.ErrorCode;
import dev.portcullis.problem.ProblemException;
import dev.portcullis.ratelimit.RateLimits;
import dev.portcullis.web.ClientInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.core.MultivaluedMap;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * The registered OAuth clients (SPEC 3.6), as the authorization server and the pages read them:
 * look one up ({@link #find}) and authenticate the client of a token, revocation or introspection
 * request ({@link #authenticate}).
 *
 * <p>Both read a bounded in-memory cache of {@link ClientRecord}s. A change to a client (through
 * {@link ClientService}: registration, {@code PUT}, secret rotation, deletion, the clients file)
 * drops its entry when the change's transaction completes, so a rotated secret stops working at
 * once on this node, and on the others within about a second through the {@link
 * dev.portcullis.cluster.ChangeFeed} ({@link ChangeKind#OAUTH_CLIENT}); an unchanged entry stays at
 * most {@link #CACHE_LIFETIME}. A malformed client id is never looked up. Thread-safe.
 */
@ApplicationScoped
public class ClientRegistry {

  /** The longest a record stays cached without a change; changes evict it at once. */
  static final Duration CACHE_LIFETIME = Duration.ofMinutes(10);

  private static final String FAILED = "Client authentication failed";

  @PersistenceContext EntityManager em;

  @Inject RateLimits rateLimits;
  @Inject AuditLog audit;
  @Inject Refusals refusals;

  /** Compares a presented secret with a stored hash; a seam for tests that count the work. */
  BiPredicate<String, String> secretMatches = ClientSecrets::matches;

  private final LoadingCache<String, Optional<ClientRecord>> cache =
      Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(CACHE_LIFETIME).build(this::load);

  /** The client {@code clientId} names, if registered. */
  public Optional<RegisteredClient> find(String clientId) {
    return record(clientId).map(ClientRecord::client);
  }

  /**
   * Authenticates the client of a token, revocation or introspection request (RFC 6749 2.3), with
   * the method it registered and no other ({@link ClientCredentials} reads what was presented).
   *
   * <p>Unknown client, wrong secret and wrong method all answer 401 {@code invalid_client} after
   * the same work: the presented secret's hash is compared in constant time with the client's, or
   * for an unknown client with a dummy hash. Each failure counts against the client's address and
   * against the client id named, from that network and overall ({@link RateLimits#clientAuthFailed}
   * ); over a limit, the answer is 429 before anything is checked. Each failure is audited as
   * {@link AuditEventType#CLIENT_AUTH_FAILED} with its reason ({@code NO_CLIENT_AUTH}, {@code
   * MALFORMED}, {@code UNKNOWN_CLIENT}, {@code WRONG_METHOD}, {@code BAD_SECRET}) and the client id
   * named (clipped; the audit line escapes it), never the secret. A database or audit store that
   * cannot be reached answers 503 {@code temporarily_unavailable}.
   *
   * @param authorization the request's {@code Authorization} header, or null
   * @param form the request's form parameters
   * @param client the caller's address, for rate limits and the audit log
   * @return the authenticated client (a public client: identified by {@code client_id} only)
   * @throws OAuthError 401 {@code invalid_client}, 400 {@code invalid_request}, 429, 503
   */
  public RegisteredClient authenticate(
      String authorization, MultivaluedMap<String, String> form, ClientInfo client) {
    var presented = ClientCredentials.read(authorization, form);
    var from = client == null ? ClientInfo.SYSTEM : client;
    try {
      return verify(presented, from);
    } catch (PersistenceException e) {
      if (DatabaseFailures.isUnavailable(e)) {
        throw OAuthError.unavailable();
      }
      throw e;
    } catch (ProblemException e) {
      if (e.code() == ErrorCode.SERVICE_UNAVAILABLE) {
        throw OAuthError.unavailable();
      }
      throw e;
    }
  }

  private RegisteredClient verify(ClientCredentials.Presented presented, ClientInfo client) {
    String clientId = presented.clientId();
    var wait = rateLimits.clientAuthRetryAfter(clientId, client.ip());
    if (wait.isPresent()) {
      refusals.record(
          AuditRecord.failure(
              AuditEventType.RATE_LIMITED, "CLIENT_AUTH", subject(clientId), client));
      throw OAuthError.rateLimited(wait.getAsLong());
    }
    if (presented.method() == null) {
      throw failed("NO_CLIENT_AUTH", null, client);
    }
    if (presented.malformed()) {
      throw failed("MALFORMED", null, client);
    }
    var found = record(clientId);
    String hash = found.map(ClientRecord::secretHash).orElse(null);
    // the same work for every outcome: one hash and one constant-time comparison
    boolean secretOk =
        secretMatches.test(presented.secret(), hash == null ? ClientSecrets.DUMMY_HASH : hash);
    if (found.isEmpty()) {
      throw failed("UNKNOWN_CLIENT", clientId, client);
    }
    var registered = found.get().client();
    if (registered.authMethod() != presented.method()) {
      throw failed("WRONG_METHOD", clientId, client);
    }
    if (!registered.isPublic() && (hash == null || !secretOk)) {
      throw failed("BAD_SECRET", clientId, client);
    }
    return registered;
  }

  private OAuthError failed(String reason, String clientId, ClientInfo client) {
    rateLimits.clientAuthFailed(clientId, client.ip());
    audit.record(
        AuditRecord.failure(AuditEventType.CLIENT_AUTH_FAILED, reason, subject(clientId), client));
    return OAuthError.invalidClient(FAILED);
  }

  /** The client id as the audit event's subject: clipped, since a presented one may be any text. */
  private static String subject(String clientId) {
    if (clientId == null) {
      return null;
    }
    return clientId.length() > 64 ? clientId.substring(0, 64) + "…" : clientId;
  }

  Optional<ClientRecord> record(String clientId) {
    if (!ClientRequests.isClientId(clientId)) {
      return Optional.empty();
    }
    return cache.get(clientId);
  }

  /** Reads a client from the database: the cache's loader. */
  Optional<ClientRecord> load(String clientId) {
    return Optional.ofNullable(em.find(OAuthClient.class, clientId)).map(OAuthClient::record);
  }

  /** Drops a changed client once its change completes; a registry not yet created has none. */
  void onChanged(
      @Observes(during = TransactionPhase.AFTER_COMPLETION, notifyObserver = Reception.IF_EXISTS)
          Change change) {
    cache.invalidateAll(change.keysOf(ChangeKind.OAUTH_CLIENT));
  }

  void onStale(@Observes StaleEntries stale) {
    if (stale.everything()) {
      cache.invalidateAll();
    } else {
      cache.invalidateAll(stale.keysOf(ChangeKind.OAUTH_CLIENT));
    }
  }
}
