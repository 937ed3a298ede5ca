package dev.portcullis.token;

import dev.portcullis.audit.AuditEventType;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.cluster.Change;
import dev.portcullis.cluster.ChangeKind;
import dev.portcullis.config.Settings;
import dev.portcullis.database.DatabaseFailures;
import dev.portcullis.problem.ErrorCode;
import dev.portcullis.problem.ProblemException;
import dev.portcullis.secret.OpaqueTokens;
import dev.portcullis.user.UserChanged;
import dev.portcullis.web.ClientInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Refresh tokens (SPEC 3.4): opaque 256-bit random values, stored as SHA-256 hashes, one family per
 * login, rotated on every use with a sliding lifetime under the family's absolute cap.
 *
 * <p>Presenting a spent token is reuse: the whole family is revoked (an audit event is written) and
 * the answer is 401 {@code REFRESH_TOKEN_REUSED}. A token is spent by one conditional {@code UPDATE
 * ... WHERE spent_at IS NULL}; the database's row lock makes two concurrent refreshes of one token
 * yield at most one successor, on every node. There is no grace window.
 *
 * <p>Families change only through conditional updates, never by writing a loaded entity back, so a
 * revocation (logout, reuse detection, password change, disable, another node) wins every race with
 * a rotation: see {@link #rotate}.
 */
@ApplicationScoped
public class RefreshTokens {

  private static final int MAX_TOKEN_LENGTH = 128;

  @PersistenceContext EntityManager em;

  @Inject Settings settings;
  @Inject Clock clock;
  @Inject AuditLog audit;
  @Inject Event<Change> revocations;

  /**
   * A refresh token handed to a client.
   *
   * @param userId its owner
   * @param familyId its family ({@code sid})
   * @param value the token itself, shown to the client once
   * @param expiresAt when it expires
   * @param grant what an OAuth client was granted, or null for a first-party login
   */
  public record Issued(
      UUID userId, String familyId, String value, Instant expiresAt, ClientGrant grant) {

    @Override
    public String toString() {
      return "Issued[family=" + familyId + ", redacted]";
    }
  }

  /** Starts a new family for a login and issues its first token. */
  @Transactional
  public Issued startFamily(UUID userId, ClientInfo client, String authMethod) {
    Instant now = clock.instant();
    var family =
        new RefreshFamily(
            userId,
            now,
            now.plus(settings.refreshFamilyMaxTtl()),
            client.ip(),
            client.userAgent(),
            authMethod);
    em.persist(family);
    return issue(family, now);
  }

  /**
   * Starts a family for an OAuth client's authorization-code grant and issues its first token.
   *
   * @param refreshTtl the client's sliding lifetime, or null for the server's
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public Issued startClientFamily(
      UUID userId, ClientInfo client, String authMethod, ClientGrant grant, Duration refreshTtl) {
    Instant now = clock.instant();
    var family =
        new RefreshFamily(
            userId,
            now,
            now.plus(settings.refreshFamilyMaxTtl()),
            client.ip(),
            client.userAgent(),
            authMethod,
            grant);
    em.persist(family);
    return issue(family, now, refreshTtl);
  }

  /**
   * Spends {@code value} and issues its successor.
   *
   * <p>The family's row is updated first ({@code last_used_at}, only while it is unrevoked and
   * unexpired): that takes its row lock, so a revocation committed since the read is seen here (the
   * database re-checks the condition after the concurrent writer commits) and the refresh loses,
   * and a revocation that comes later waits for this transaction and then stands. Then the token is
   * spent by its own conditional update, so two concurrent refreshes of one token yield at most one
   * successor.
   *
   * @throws ProblemException 401 {@code INVALID_TOKEN} for an unknown, expired or revoked token
   *     (also when its family was revoked while this refresh was under way); 401 {@code
   *     REFRESH_TOKEN_REUSED} for a spent one (its family is revoked, and that commits)
   */
  @Transactional(dontRollbackOn = ProblemException.class)
  public Issued rotate(String value, ClientInfo client) {
    return rotate(value, client, null, null);
  }

  /**
   * {@link #rotate(String, ClientInfo)} for the family of one OAuth client ({@code clientId}; null
   * for a first-party login): a token of another client, or a client's token presented as a
   * first-party one, is refused as unknown before anything is spent.
   *
   * @param refreshTtl the client's sliding lifetime, or null for the server's
   */
  @Transactional(dontRollbackOn = ProblemException.class)
  public Issued rotate(String value, ClientInfo client, String clientId, Duration refreshTtl) {
    if (value == null || value.length() > MAX_TOKEN_LENGTH) {
      throw invalid();
    }
    var found =
        em.createNamedQuery(RefreshToken.WITH_FAMILY_BY_HASH, Object[].class)
            .setParameter("hash", OpaqueTokens.sha256(value))
            .getResultStream()
            .findFirst()
            .orElseThrow(RefreshTokens::invalid);
    var token = (RefreshToken) found[0];
    var family = (RefreshFamily) found[1];
    if (!java.util.Objects.equals(clientId, family.clientId())) {
      throw invalid();
    }
    Instant now = clock.instant();
    if (token.isSpent()) {
      throw reused(family, now, client);
    }
    if (family.isRevoked()) {
      throw invalid();
    }
    if (!now.isBefore(token.expiresAt()) || !now.isBefore(family.expiresAt())) {
      throw new ProblemException(ErrorCode.INVALID_TOKEN, "The refresh token has expired");
    }
    boolean live =
        conditionally(
                em.createNamedQuery(RefreshFamily.TOUCH)
                    .setParameter("now", now)
                    .setParameter("id", family.id()))
            == 1;
    if (!live) {
      // revoked (logout, reuse, password change, another node) since it was read
      throw invalid();
    }
    int spent =
        conditionally(
            em.createNamedQuery(RefreshToken.SPEND)
                .setParameter("now", now)
                .setParameter("id", token.id()));
    if (spent == 0) {
      throw reused(family, now, client);
    }
    return issue(family, now, refreshTtl);
  }

  /**
   * Runs a conditional update of a row a concurrent refresh may hold.
   *
   * @throws ProblemException 401 when the database refuses the update because a concurrent
   *     transaction changed the row (H2 reports this as an error; PostgreSQL waits and re-checks)
   */
  private static int conditionally(Query update) {
    try {
      return update.executeUpdate();
    } catch (PersistenceException e) {
      if (DatabaseFailures.isUnavailable(e)) {
        throw e;
      }
      throw new ProblemException(
          ErrorCode.REFRESH_TOKEN_REUSED, "The refresh token was used concurrently");
    }
  }

  /** Ends one family, e.g. at logout. Idempotent. */
  @Transactional
  public void revokeFamily(String familyId, String reason) {
    UUID id;
    try {
      id = UUID.fromString(familyId);
    } catch (IllegalArgumentException | NullPointerException e) {
      return;
    }
    revoke(id, reason, clock.instant());
  }

  /** Ends every family of a user whose credentials or status changed (same transaction). */
  void onUserChanged(@Observes UserChanged change) {
    if (change.endsSessions()) {
      revokeAllOf(change.userId(), change.change().name());
    }
  }

  /** The user's live refresh-token families (API logins), for the sessions list. */
  @Transactional
  public List<RefreshFamily> activeFamilies(UUID userId) {
    Instant now = clock.instant();
    return em.createNamedQuery(RefreshFamily.ACTIVE_OF_USER, RefreshFamily.class)
        .setParameter("user", userId)
        .setParameter("now", now)
        .getResultList();
  }

  /** Ends one of the user's families; false if it is not theirs or already ended. */
  @Transactional
  public boolean revokeOwned(UUID userId, UUID familyId, String reason) {
    Instant now = clock.instant();
    int revoked =
        em.createNamedQuery(RefreshFamily.REVOKE_OWNED)
            .setParameter("now", now)
            .setParameter("reason", reason)
            .setParameter("id", familyId)
            .setParameter("user", userId)
            .executeUpdate();
    if (revoked == 1) {
      revocations.fire(Change.of(ChangeKind.REVOKED_SID, familyId.toString()));
    }
    return revoked == 1;
  }

  /** Ends every family of a user ("sign out everywhere"). */
  @Transactional
  public void revokeAllOf(UUID userId, String reason) {
    List<UUID> ids =
        em.createNamedQuery(RefreshFamily.ACTIVE_IDS_OF_USER, UUID.class)
            .setParameter("user", userId)
            .getResultList();
    if (ids.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    em.flush();
    em.createNamedQuery(RefreshFamily.REVOKE_ALL_OF_USER)
        .setParameter("now", now)
        .setParameter("reason", reason)
        .setParameter("user", userId)
        .executeUpdate();
    em.clear();
    revocations.fire(Change.of(ChangeKind.REVOKED_SID, ids.stream().map(UUID::toString).toList()));
  }

  /**
   * Revokes one family by a conditional update, and announces it (caches, other nodes) only if this
   * call revoked it: a family already revoked keeps the time and reason it was revoked with.
   */
  private void revoke(UUID familyId, String reason, Instant now) {
    int revoked =
        em.createNamedQuery(RefreshFamily.REVOKE)
            .setParameter("now", now)
            .setParameter("reason", reason)
            .setParameter("id", familyId)
            .executeUpdate();
    if (revoked == 1) {
      revocations.fire(Change.of(ChangeKind.REVOKED_SID, familyId.toString()));
    }
  }

  private ProblemException reused(RefreshFamily family, Instant now, ClientInfo client) {
    if (!family.isRevoked()) {
      revoke(family.id(), "REUSE", now);
    }
    audit.record(
        AuditRecord.failure(
                AuditEventType.REFRESH_REUSE_DETECTED, "REUSE", family.userId().toString(), client)
            .withDetail("sid=" + family.id()));
    return new ProblemException(
        ErrorCode.REFRESH_TOKEN_REUSED,
        "The refresh token was already used; every token of this login is revoked");
  }

  private Issued issue(RefreshFamily family, Instant now) {
    return issue(family, now, null);
  }

  private Issued issue(RefreshFamily family, Instant now, Duration refreshTtl) {
    String value = OpaqueTokens.random();
    Instant sliding = now.plus(refreshTtl == null ? settings.refreshTokenTtl() : refreshTtl);
    Instant expires = sliding.isBefore(family.expiresAt()) ? sliding : family.expiresAt();
    em.persist(new RefreshToken(family.id(), OpaqueTokens.sha256(value), now, expires));
    return new Issued(family.userId(), family.id().toString(), value, expires, family.grant());
  }

  /**
   * Ends the families of one client: every user's (client deleted) or one user's (consent revoked
   * on the account page). Their access tokens stop working with them.
   */
  @Transactional
  public void revokeClientFamilies(String clientId, UUID userId, String reason) {
    List<UUID> ids =
        userId == null
            ? em.createNamedQuery(RefreshFamily.ACTIVE_IDS_OF_CLIENT, UUID.class)
                .setParameter("client", clientId)
                .getResultList()
            : em.createNamedQuery(RefreshFamily.ACTIVE_IDS_OF_CLIENT_AND_USER, UUID.class)
                .setParameter("client", clientId)
                .setParameter("user", userId)
                .getResultList();
    Instant now = clock.instant();
    for (UUID id : ids) {
      revoke(id, reason, now);
    }
  }

  /**
   * The live family a refresh token belongs to, without spending it (introspection, revocation).
   */
  @Transactional
  public java.util.Optional<RefreshFamily> liveFamilyOf(String value) {
    if (value == null || value.length() > MAX_TOKEN_LENGTH) {
      return java.util.Optional.empty();
    }
    Instant now = clock.instant();
    return em.createNamedQuery(RefreshToken.WITH_FAMILY_BY_HASH, Object[].class)
        .setParameter("hash", OpaqueTokens.sha256(value))
        .getResultStream()
        .findFirst()
        .filter(
            row -> {
              var token = (RefreshToken) row[0];
              var family = (RefreshFamily) row[1];
              return !token.isSpent()
                  && !family.isRevoked()
                  && now.isBefore(token.expiresAt())
                  && now.isBefore(family.expiresAt());
            })
        .map(row -> (RefreshFamily) row[1]);
  }

  /** Whether the family {@code familyId} is live (not revoked, not expired). */
  @Transactional
  public boolean isLive(String familyId) {
    try {
      var family = em.find(RefreshFamily.class, UUID.fromString(familyId));
      return family != null && !family.isRevoked() && clock.instant().isBefore(family.expiresAt());
    } catch (IllegalArgumentException | NullPointerException e) {
      return false;
    }
  }

  private static ProblemException invalid() {
    return new ProblemException(ErrorCode.INVALID_TOKEN, "The refresh token is not valid");
  }
}
