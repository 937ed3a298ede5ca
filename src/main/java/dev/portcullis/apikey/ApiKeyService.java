package dev.portcullis.apikey;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.portcullis.audit.AuditEventType;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.caller.Caller;
import dev.portcullis.cluster.Change;
import dev.portcullis.cluster.ChangeKind;
import dev.portcullis.cluster.StaleEntries;
import dev.portcullis.config.Settings;
import dev.portcullis.database.DatabaseFailures;
import dev.portcullis.database.LastUseBatches;
import dev.portcullis.database.LastUseThrottle;
import dev.portcullis.problem.ErrorCode;
import dev.portcullis.problem.ProblemException;
import dev.portcullis.user.UserService;
import dev.portcullis.user.UserSnapshot;
import dev.portcullis.web.ClientInfo;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * API keys: create (shown once), list, rotate with a grace period, revoke, and verify on the
 * authentication hot path.
 *
 * <p>Verification reads a bounded in-memory cache of {@link ApiKeyRecord}s (hashes only) and never
 * writes: {@code last_used_at} is collected in memory and written in batches by {@link
 * #flushLastUsed()}. A change drops the cached record when its transaction completes, so revocation
 * takes effect at once on this node, and on the others within about a second through the {@link
 * dev.portcullis.cluster.ChangeFeed}; so a record stays cached until it changes (at most {@link
 * #CACHE_LIFETIME}, a safety net). Grace-period ends and expiry are evaluated against the clock at
 * every use; owner status and roles come from the user cache, which is invalidated the same way.
 * Thread-safe.
 */
@ApplicationScoped
public class ApiKeyService {

  /** The longest a record stays cached without a change; changes evict it at once. */
  static final Duration CACHE_LIFETIME = Duration.ofMinutes(10);

  /** {@code last_used_at} is accurate to this (plus the flush interval). */
  static final Duration LAST_USED_GRANULARITY = Duration.ofMinutes(1);

  private static final Pattern AUDIENCE = Pattern.compile("[\\x21-\\x7e]{1,200}");

  @PersistenceContext EntityManager em;

  @Inject Settings settings;
  @Inject Clock clock;
  @Inject AuditLog audit;
  @Inject UserService users;
  @Inject Event<Change> changes;

  private final Map<String, Instant> pendingLastUsed = new ConcurrentHashMap<>();
  private final LastUseThrottle<String> lastUseThrottle =
      new LastUseThrottle<>(LAST_USED_GRANULARITY);
  private final LoadingCache<String, Optional<ApiKeyRecord>> cache =
      Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(CACHE_LIFETIME).build(this::load);
  private ApiKeyVerifier verifier;

  @PostConstruct
  void init() {
    verifier = new ApiKeyVerifier(cache::get, MessageDigest::isEqual);
  }

  /** Verifies a presented key against the cache (the database only on a cache miss). */
  public ApiKeyVerifier.Outcome verify(String presented) {
    return verifier.verify(presented, clock.instant());
  }

  /**
   * Notes a successful use; written to the database by the next {@link #flushLastUsed()}, unless
   * this key's last use was written less than {@link #LAST_USED_GRANULARITY} ago.
   */
  public void used(String keyId) {
    Instant now = clock.instant();
    if (lastUseThrottle.due(keyId, now)) {
      pendingLastUsed.merge(keyId, now, (a, b) -> a.isAfter(b) ? a : b);
    }
  }

  /** Writes the collected last-used times; called every few seconds and at shutdown. */
  @Transactional
  public void flushLastUsed() {
    lastUseThrottle.prune(clock.instant());
    if (pendingLastUsed.isEmpty()) {
      return;
    }
    var batch = LastUseBatches.drain(pendingLastUsed);
    LastUseBatches.write(em, "api_keys", "last_used_at", batch);
    lastUseThrottle.written(batch);
  }

  /**
   * Creates a key for {@code ownerId} on behalf of {@code caller}, who must {@linkplain
   * Caller#requireCredentialManager() not be an API key} (403 {@code FORBIDDEN}). Each scope must
   * lie within {@linkplain Caller#authorityOver the caller's own authority and the owner's roles}
   * (403 {@code INSUFFICIENT_SCOPE}), whichever route the request came by.
   */
  @Transactional
  public CreatedApiKey create(UUID ownerId, NewApiKey request, Caller caller, ClientInfo client) {
    String actor = caller.requireCredentialManager().userId().toString();
    var owner =
        users
            .snapshot(ownerId)
            .filter(UserSnapshot::isActive)
            .orElseThrow(() -> ProblemException.notFound("User"));
    String name = validName(request.name());
    if (request.scopes().isEmpty()) {
      throw ProblemException.validation("scopes must name at least one of the owner's roles");
    }
    var grantable = caller.authorityOver(owner.roles());
    for (String scope : request.scopes()) {
      if (!grantable.contains(scope)) {
        throw new ProblemException(
            ErrorCode.INSUFFICIENT_SCOPE,
            "A key cannot carry a scope beyond its owner's roles and the caller's own authority: "
                + clip(scope));
      }
    }
    String audience = request.audience();
    if (audience != null && !AUDIENCE.matcher(audience).matches()) {
      throw ProblemException.validation("audience must be 1-200 printable characters, no spaces");
    }
    Instant now = clock.instant();
    if (request.expiresAt() != null && !request.expiresAt().isAfter(now)) {
      throw ProblemException.validation("expires_at must be in the future");
    }
    long active = list(ownerId).stream().filter(k -> k.revokedAt() == null).count();
    if (active >= settings.apiKeysPerUser()) {
      throw new ProblemException(
          ErrorCode.TOO_MANY_KEYS,
          "A user may hold at most " + settings.apiKeysPerUser() + " active keys");
    }
    var generated = ApiKeyFormat.generate();
    var key =
        new ApiKey(
            generated.id(),
            ownerId,
            name,
            request.scopes(),
            audience,
            ApiKeyVerifier.hash(generated.secret()),
            now,
            request.expiresAt());
    em.persist(key);
    changes.fire(Change.of(ChangeKind.API_KEY, key.id()));
    audit.record(
        AuditRecord.success(AuditEventType.API_KEY_CREATED, key.id(), client)
            .by(actor)
            .withDetail("owner=" + ownerId + " scopes=" + key.scopes() + " audience=" + audience));
    return new CreatedApiKey(key, generated.value());
  }

  @Transactional
  public List<ApiKey> list(UUID ownerId) {
    return em.createNamedQuery(ApiKey.OF_OWNER, ApiKey.class)
        .setParameter("owner", ownerId)
        .getResultList();
  }

  /** Revokes a key on behalf of {@code caller}, who must not be an API key (403). */
  @Transactional
  public void revoke(UUID ownerId, String keyId, Caller caller, ClientInfo client) {
    String actor = caller.requireCredentialManager().userId().toString();
    var key = owned(ownerId, keyId);
    // conditional: a key revoked meanwhile keeps its first revocation, announced and audited once
    if (key.revokedAt() == null
        && em.createNamedQuery(ApiKey.REVOKE)
                .setParameter("now", clock.instant())
                .setParameter("id", keyId)
                .executeUpdate()
            == 1) {
      changes.fire(Change.of(ChangeKind.API_KEY, keyId));
      audit.record(AuditRecord.success(AuditEventType.API_KEY_REVOKED, keyId, client).by(actor));
    }
  }

  /**
   * Issues a new secret for a key; the old one keeps working for {@code grace} (the configured
   * default when null, at most that), so clients can switch over without downtime. {@code caller}
   * must not be an API key (403), and since the new secret carries the key's scopes, its own
   * authority over the owner's roles must cover them (403 {@code INSUFFICIENT_SCOPE}).
   */
  @Transactional
  public CreatedApiKey rotate(
      UUID ownerId, String keyId, Duration grace, Caller caller, ClientInfo client) {
    String actor = caller.requireCredentialManager().userId().toString();
    var key = owned(ownerId, keyId);
    Instant now = clock.instant();
    if (key.revokedAt() != null || (key.expiresAt() != null && !now.isBefore(key.expiresAt()))) {
      throw new ProblemException(ErrorCode.KEY_INACTIVE, "A revoked or expired key cannot rotate");
    }
    // a rotation hands the caller a working secret with the key's scopes: only as much as it holds
    var owner = users.snapshot(ownerId).orElseThrow(() -> ProblemException.notFound("User"));
    if (!caller.authorityOver(owner.roles()).containsAll(key.scopes())) {
      throw new ProblemException(
          ErrorCode.INSUFFICIENT_SCOPE,
          "Rotating hands out the key's scopes; the caller's own authority must cover them");
    }
    Duration max = settings.apiKeyRotationGrace();
    Duration chosen = grace == null ? max : grace;
    if (chosen.isNegative() || chosen.compareTo(max) > 0) {
      throw ProblemException.validation("grace_seconds must be between 0 and " + max.toSeconds());
    }
    var generated = ApiKeyFormat.withId(key.id());
    boolean keepPrevious = !chosen.isZero();
    int rotated;
    try {
      rotated =
          em.createNamedQuery(ApiKey.ROTATE)
              .setParameter("secret", ApiKeyVerifier.hash(generated.secret()))
              .setParameter("previous", keepPrevious ? key.secretHash() : null)
              .setParameter("previousValidUntil", keepPrevious ? now.plus(chosen) : null)
              .setParameter("now", now)
              .setParameter("id", key.id())
              .setParameter("expected", key.secretHash())
              .executeUpdate();
    } catch (PersistenceException e) {
      if (DatabaseFailures.isUnavailable(e)) {
        throw e;
      }
      rotated = 0; // H2 refuses an update of a row a concurrent transaction changed
    }
    if (rotated == 0) {
      // revoked or rotated since it was read: the revocation stands, the other rotation counts
      throw new ProblemException(
          ErrorCode.KEY_INACTIVE, "The key was revoked or rotated meanwhile; it did not rotate");
    }
    em.refresh(key);
    changes.fire(Change.of(ChangeKind.API_KEY, keyId));
    audit.record(
        AuditRecord.success(AuditEventType.API_KEY_ROTATED, keyId, client)
            .by(actor)
            .withDetail("grace=" + chosen));
    return new CreatedApiKey(key, generated.value());
  }

  /**
   * Drops a changed key once its change completes; a service not yet created has nothing cached.
   */
  void onChanged(
      @Observes(during = TransactionPhase.AFTER_COMPLETION, notifyObserver = Reception.IF_EXISTS)
          Change change) {
    cache.invalidateAll(change.keysOf(ChangeKind.API_KEY));
  }

  void onStale(@Observes StaleEntries stale) {
    if (stale.everything()) {
      cache.invalidateAll();
    } else {
      cache.invalidateAll(stale.keysOf(ChangeKind.API_KEY));
    }
  }

  private ApiKey owned(UUID ownerId, String keyId) {
    var key = ApiKeyFormat.isKeyId(keyId) ? em.find(ApiKey.class, keyId) : null;
    if (key == null || !key.ownerId().equals(ownerId)) {
      throw ProblemException.notFound("API key");
    }
    return key;
  }

  private Optional<ApiKeyRecord> load(String id) {
    return Optional.ofNullable(em.find(ApiKey.class, id)).map(ApiKey::record);
  }

  private static String validName(String name) {
    String stripped = name == null ? "" : name.strip();
    if (stripped.isEmpty()
        || stripped.length() > ApiKey.NAME_MAX
        || stripped.chars().anyMatch(Character::isISOControl)) {
      throw ProblemException.validation("name must be 1-100 characters without control characters");
    }
    return stripped;
  }

  private static String clip(String value) {
    return value.length() > 64 ? value.substring(0, 64) + "…" : value;
  }
}
