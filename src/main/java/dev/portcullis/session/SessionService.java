package dev.portcullis.session;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.portcullis.audit.AuditEventType;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.cluster.Change;
import dev.portcullis.cluster.ChangeKind;
import dev.portcullis.cluster.StaleEntries;
import dev.portcullis.config.Settings;
import dev.portcullis.database.LastUseBatches;
import dev.portcullis.problem.ProblemException;
import dev.portcullis.secret.OpaqueTokens;
import dev.portcullis.user.UserChanged;
import dev.portcullis.web.ClientInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server-side browser sessions: started at every login with a new 256-bit id (no fixation), ended
 * by logout, revocation, a disabled account or a password change, the idle deadline (default 30
 * min) or the absolute deadline (default 12 h).
 *
 * <p>Validation reads a bounded cache of {@link SessionRecord}s and never writes: activity is
 * collected in memory and {@code last_seen_at} is written in batches by {@link #flushLastSeen()}.
 * Ending a session drops its cache entry when the transaction completes, so it stops working at
 * once on this node, and on the others within about a second through the {@link
 * dev.portcullis.cluster.ChangeFeed}; so a record stays cached until it changes (at most {@link
 * #CACHE_LIFETIME}, a safety net).
 *
 * <p>Idleness is judged from the latest activity this node has seen ({@code activity}, kept beside
 * the cache, since the cached record's {@code last_seen_at} is as old as the entry) or the
 * record's. A session that looks idle here is read again from the database before it is refused,
 * because another node may have served it meanwhile; one that the database also shows idle is
 * cached as ended (idleness is final). Thread-safe.
 */
@ApplicationScoped
public class SessionService {

  @PersistenceContext EntityManager em;

  @Inject Settings settings;
  @Inject Clock clock;
  @Inject AuditLog audit;
  @Inject Event<Change> changes;

  /** The longest a record stays cached without a change; changes evict it at once. */
  static final Duration CACHE_LIFETIME = Duration.ofMinutes(10);

  /** Activity not yet written to the database. */
  private final Map<UUID, Instant> pendingLastSeen = new ConcurrentHashMap<>();

  /** The latest activity this node has seen per session (written or not). */
  private final Map<UUID, Instant> activity = new ConcurrentHashMap<>();

  private final LoadingCache<String, Optional<SessionRecord>> cache =
      Caffeine.newBuilder().maximumSize(200_000).expireAfterWrite(CACHE_LIFETIME).build(this::load);

  /**
   * A session just started.
   *
   * @param session the stored session
   * @param cookieValue the value for the cookie; exists nowhere else
   */
  public record Started(LoginSession session, String cookieValue) {

    @Override
    public String toString() {
      return "Started[" + session.id() + ", redacted]";
    }
  }

  @Transactional
  public Started start(UUID userId, ClientInfo client, String authMethod) {
    String value = OpaqueTokens.random();
    Instant now = clock.instant();
    var session =
        new LoginSession(
            OpaqueTokens.sha256(value),
            userId,
            OpaqueTokens.random(),
            now,
            now.plus(settings.sessionAbsoluteTimeout()),
            client.ip(),
            client.userAgent(),
            authMethod);
    em.persist(session);
    audit.record(
        AuditRecord.success(AuditEventType.SESSION_STARTED, userId.toString(), client)
            .withDetail("sid=" + session.id()));
    return new Started(session, value);
  }

  /** The live session a cookie names, counting this use as activity; empty if it has ended. */
  public Optional<SessionRecord> validate(String cookieValue) {
    if (cookieValue == null || cookieValue.length() != 43) {
      return Optional.empty();
    }
    String tokenHash = OpaqueTokens.sha256(cookieValue);
    var found = cache.get(tokenHash);
    if (found.isEmpty()) {
      return found;
    }
    Instant now = clock.instant();
    if (isIdle(found.get(), now)) {
      // another node may have served it meanwhile: the database knows (within one flush)
      cache.invalidate(tokenHash);
      found = cache.get(tokenHash);
      if (found.isEmpty() || isIdle(found.get(), now)) {
        cache.put(tokenHash, Optional.empty());
        return Optional.empty();
      }
    }
    var session = found.get();
    if (session.revokedAt() != null || !now.isBefore(session.absoluteExpiresAt())) {
      return Optional.empty();
    }
    pendingLastSeen.merge(session.id(), now, SessionService::later);
    activity.merge(session.id(), now, SessionService::later);
    return found;
  }

  private boolean isIdle(SessionRecord session, Instant now) {
    Instant lastSeen = latestActivity(session.id(), session.lastSeenAt());
    return !now.isBefore(lastSeen.plus(settings.sessionIdleTimeout()));
  }

  /** The later of {@code recorded} (the database's last-seen time) and this node's activity. */
  private Instant latestActivity(UUID sessionId, Instant recorded) {
    Instant seen = activity.get(sessionId);
    return seen != null && seen.isAfter(recorded) ? seen : recorded;
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  @Transactional
  public List<LoginSession> list(UUID userId) {
    Instant now = clock.instant();
    var live = new ArrayList<LoginSession>();
    for (var session :
        em.createNamedQuery(LoginSession.OF_USER, LoginSession.class)
            .setParameter("user", userId)
            .setParameter("now", now)
            .getResultList()) {
      Instant lastSeen = lastSeen(session);
      if (now.isBefore(lastSeen.plus(settings.sessionIdleTimeout()))) {
        live.add(session);
      }
    }
    return live;
  }

  /** The most recent activity of a session, including activity not yet written. */
  public Instant lastSeen(LoginSession session) {
    return latestActivity(session.id(), session.lastSeenAt());
  }

  /** The session {@code id}, read from the database, whether or not it is still live. */
  @Transactional
  public Optional<SessionRecord> find(UUID id) {
    return Optional.ofNullable(em.find(LoginSession.class, id)).map(LoginSession::record);
  }

  /** Ends one of the user's browser sessions; 404 if it is not theirs. */
  @Transactional
  public void end(UUID userId, UUID sessionId, String reason, ClientInfo client) {
    var session = em.find(LoginSession.class, sessionId);
    if (session == null || !session.userId().equals(userId)) {
      throw ProblemException.notFound("Session");
    }
    endSession(session, reason, client);
  }

  /** Ends the session a cookie names (logout); does nothing if it has already ended. */
  @Transactional
  public Optional<UUID> endByCookie(String cookieValue, ClientInfo client) {
    if (cookieValue == null) {
      return Optional.empty();
    }
    var session =
        em.createNamedQuery(LoginSession.BY_TOKEN_HASH, LoginSession.class)
            .setParameter("hash", OpaqueTokens.sha256(cookieValue))
            .getResultStream()
            .findFirst();
    session.ifPresent(s -> endSession(s, "LOGOUT", client));
    return session.map(LoginSession::userId);
  }

  /** Ends every other browser session of the user (API logins are the caller's to end). */
  @Transactional
  public void endOthers(UUID userId, UUID keep, String reason, ClientInfo client) {
    for (var session : list(userId)) {
      if (!session.id().equals(keep)) {
        endSession(session, reason, client);
      }
    }
  }

  /** Writes collected activity; called every few seconds and at shutdown. */
  @Transactional
  public void flushLastSeen() {
    Instant idleSince = clock.instant().minus(settings.sessionIdleTimeout());
    activity.values().removeIf(seen -> seen.isBefore(idleSince));
    if (pendingLastSeen.isEmpty()) {
      return;
    }
    LastUseBatches.write(
        em, "login_sessions", "last_seen_at", LastUseBatches.drain(pendingLastSeen));
  }

  void onUserChanged(@Observes UserChanged change) {
    if (!change.endsSessions()) {
      return;
    }
    var tokenHashes =
        em
            .createNamedQuery(LoginSession.OF_USER, LoginSession.class)
            .setParameter("user", change.userId())
            .setParameter("now", clock.instant())
            .getResultList()
            .stream()
            .map(LoginSession::tokenHash)
            .toList();
    if (tokenHashes.isEmpty()) {
      return;
    }
    em.flush();
    em.createNamedQuery(LoginSession.REVOKE_ALL_OF_USER)
        .setParameter("now", clock.instant())
        .setParameter("reason", change.change().name())
        .setParameter("user", change.userId())
        .executeUpdate();
    changes.fire(Change.of(ChangeKind.SESSION, tokenHashes));
  }

  /** Drops ended sessions once the change completes; a service not yet created has none cached. */
  void onChanged(
      @Observes(during = TransactionPhase.AFTER_COMPLETION, notifyObserver = Reception.IF_EXISTS)
          Change change) {
    cache.invalidateAll(change.keysOf(ChangeKind.SESSION));
  }

  void onStale(@Observes StaleEntries stale) {
    if (stale.everything()) {
      cache.invalidateAll();
    } else {
      cache.invalidateAll(stale.keysOf(ChangeKind.SESSION));
    }
  }

  /**
   * Ends a session by a conditional update; announced and audited only if this call ended it (a
   * session ended meanwhile, e.g. by a password change on another node, keeps that record).
   */
  private void endSession(LoginSession session, String reason, ClientInfo client) {
    if (session.revokedAt() != null
        || em.createNamedQuery(LoginSession.REVOKE)
                .setParameter("now", clock.instant())
                .setParameter("reason", reason)
                .setParameter("id", session.id())
                .executeUpdate()
            == 0) {
      return;
    }
    changes.fire(Change.of(ChangeKind.SESSION, session.tokenHash()));
    audit.record(
        AuditRecord.success(AuditEventType.SESSION_ENDED, session.userId().toString(), client)
            .withDetail("sid=" + session.id() + " reason=" + reason));
  }

  private Optional<SessionRecord> load(String tokenHash) {
    return em.createNamedQuery(LoginSession.BY_TOKEN_HASH, LoginSession.class)
        .setParameter("hash", tokenHash)
        .getResultStream()
        .findFirst()
        .map(LoginSession::record);
  }
}
