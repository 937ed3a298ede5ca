package dev.portcullis.apikey;

import static dev.portcullis.testing.ValidationResults.assertValid;
import static jakarta.security.enterprise.identitystore.CredentialValidationResult.Status.INVALID;
import static jakarta.security.enterprise.identitystore.CredentialValidationResult.Status.NOT_VALIDATED;
import static jakarta.security.enterprise.identitystore.CredentialValidationResult.Status.VALID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.audit.AuditEventType;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.caller.AuthMethod;
import dev.portcullis.caller.Caller;
import dev.portcullis.config.MapConfig;
import dev.portcullis.config.SettingsProducer;
import dev.portcullis.credential.Rejection;
import dev.portcullis.problem.ErrorCode;
import dev.portcullis.problem.ProblemException;
import dev.portcullis.ratelimit.LocalRateLimitBuckets;
import dev.portcullis.ratelimit.RateLimitSettings;
import dev.portcullis.ratelimit.RateLimits;
import dev.portcullis.session.SessionCredential;
import dev.portcullis.testing.MovableClock;
import dev.portcullis.token.BearerTokenCredential;
import dev.portcullis.user.UserSnapshotsStandIn;
import dev.portcullis.web.ClientInfo;
import io.github.bucket4j.TimeMeter;
import jakarta.persistence.PersistenceException;
import jakarta.security.enterprise.credential.Credential;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import java.security.MessageDigest;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The decision table of {@link ApiKeyIdentityStore}, one test per row: a valid key, a foreign
 * credential, every refusal with the reason it audits (malformed, unknown, wrong secret, revoked,
 * expired, wrong audience, owner disabled or deleted), scopes narrowed to the owner's current
 * roles, the per-address limit on failures (429 before the key is checked), and an unreachable key
 * store, user store or audit log.
 *
 * <p>Behind the store: the real {@link ApiKeyVerifier} over stored records (through a small {@link
 * ApiKeyService} subclass, since a revoked {@link ApiKey} entity cannot be built outside the
 * database), the real {@link RateLimits} over local buckets on a hand-moved time meter (3 failures
 * a minute), the real {@link dev.portcullis.user.UserSnapshots} over {@link UserSnapshotsStandIn},
 * and an {@link AuditLog} that keeps what it is given. Time is pinned with a {@link MovableClock}.
 */
class ApiKeyIdentityStoreTest {

  private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");
  private static final UUID ALICE = UUID.fromString("5f0c7a2e-8d1b-4c3a-9e6f-0a1b2c3d4e5f");
  private static final String IP = "203.0.113.5";
  private static final ClientInfo CLIENT = new ClientInfo(IP, "curl/8", "req-1");
  private static final int FAILURES_PER_MINUTE = 3;
  private static final Rejection INVALID_KEY =
      new Rejection(ErrorCode.INVALID_API_KEY, "The API key is not valid");

  private final MovableClock clock = new MovableClock(T0);
  private long meterNanos;
  private final LocalRateLimitBuckets buckets;
  private final UserSnapshotsStandIn users = new UserSnapshotsStandIn();
  private final Map<String, ApiKeyRecord> stored = new HashMap<>();
  private final AtomicInteger lookups = new AtomicInteger();
  private RuntimeException keyStoreFailure;
  private final List<String> used = new ArrayList<>();
  private final List<AuditRecord> audited = new ArrayList<>();
  private RuntimeException auditFailure;
  private final AtomicInteger clientReads = new AtomicInteger();
  private final ApiKeyIdentityStore store = new ApiKeyIdentityStore();
  private final ApiKeyFormat.GeneratedKey key = ApiKeyFormat.generate();

  ApiKeyIdentityStoreTest() {
    var limits =
        RateLimitSettings.read(
            new MapConfig(
                Map.of(
                    "portcullis.rate-limit.api-key.failures",
                    String.valueOf(FAILURES_PER_MINUTE),
                    "portcullis.rate-limit.api-key.period",
                    "PT1M")));
    buckets = new LocalRateLimitBuckets(1000, Duration.ofHours(1), new HandMovedMeter());
    store.keys = new KeyStoreStandIn();
    store.users = users.snapshots();
    store.settings = SettingsProducer.read(new MapConfig(Map.of())); // audience "portcullis"
    store.audit =
        new AuditLog() {
          @Override
          public void record(AuditRecord record) {
            if (auditFailure != null) {
              throw auditFailure;
            }
            audited.add(record);
          }
        };
    store.rateLimits = new RateLimits(limits, buckets);
  }

  // --- valid ----------------------------------------------------------------------------------

  @Test
  void aValidKeyIsValidForItsOwnerWithItsScopes() {
    users.with(UserSnapshotsStandIn.active(ALICE, "alice", Set.of("user", "admin")));
    storeKey(Set.of("user"), null, null, null);

    var result = validate(presented(key.value()));

    assertValid(
        result, new Caller(ALICE, "alice", Set.of("user"), AuthMethod.API_KEY, null, key.id()));
    assertThat(used).as("use noted").containsExactly(key.id());
    assertThat(audited).as("audited").isEmpty();
    assertThat(buckets.existing("api-key:" + IP)).as("failures counted").isEmpty();
    assertThat(clientReads).as("client info read for a valid key").hasValue(0);
  }

  @Test
  void aCredentialOfAnotherKindIsNotValidated() {
    users.with(UserSnapshotsStandIn.active(ALICE, "alice", Set.of("user")));
    storeKey(Set.of("user"), null, null, null);

    for (Credential foreign :
        List.<Credential>of(
            new BearerTokenCredential(key.value(), () -> CLIENT),
            new SessionCredential(key.value()),
            new UsernamePasswordCredential("alice", key.value()))) {
      assertThat(store.validate(foreign).getStatus())
          .as(foreign.toString())
          .isEqualTo(NOT_VALIDATED);
    }
    assertThat(lookups).as("key look-ups").hasValue(0);
    assertThat(audited).isEmpty();
    assertThat(buckets.existing("api-key:" + IP)).as("failures counted").isEmpty();
  }

  // --- the key itself -------------------------------------------------------------------------

  @Test
  void aMalformedKeyIsInvalidWithoutALookUp() {
    var presented = presented("ptc_not-a-key");

    assertRefused(validate(presented), presented, "MALFORMED", null);
    assertThat(lookups).as("key look-ups").hasValue(0);
  }

  @Test
  void anUnknownKeyIsInvalid() {
    var presented = presented(key.value());

    assertRefused(validate(presented), presented, "UNKNOWN", key.id());
  }

  @Test
  void aKeyWithTheWrongSecretIsInvalid() {
    users.with(UserSnapshotsStandIn.active(ALICE, "alice", Set.of("user")));
    storeKey(Set.of("user"), null, null, null);
    var presented = presented(ApiKeyFormat.withId(key.id()).value());

    assertRefused(validate(presented), presented, "WRONG_SECRET", key.id());
  }

  @Test
  void aRevokedKeyIsInvalid() {
    users.with(UserSnapshotsStandIn.active(ALICE, "alice", Set.of("user")));
    storeKey(Set.of("user"), null, null, T0.minusSeconds(1));
    var presented = presented(key.value());

    assertRefused(validate(presented), presented, "REVOKED", key.id());
  }

  @Test
  void anExpiredKeyIsInvalid() {
    users.with(UserSnapshotsStandIn.active(ALICE, "alice", Set.of("user")));
    storeKey(Set.of("user"), null, T0, null);
    var presented = presented(key.value());

    assertRefused(validate(presented), presented, "EXPIRED", key.id());
  }

  // --- audience -------------------------------------------------------------------------------

  @Test
  void aKeyForAnotherServiceIsInvalidHere() {
    users.with(UserSnapshotsStandIn.active(ALICE, "alice", Set.of("user")));
    storeKey(Set.of("user"), "billing", null, null);
    var presented = presented(key.value());

    assertRefused(validate(presented), presented, "WRONG_AUDIENCE", key.id());
  }

  @Test
  void aKeyForPortcullisIsInvalidForTheServiceATrustedProxyNamed() {
    users.with(UserSnapshotsStandIn.active(ALICE, "alice", Set.of("user")));
    storeKey(Set.of("user"), "portcullis", null, null);
    var presented = forwarded(key.value(), "billing");

    assertRefused(validate(presented), presented, "WRONG_AUDIENCE", key.id());
  }

  @Test
  void aKeyForTheServiceATrustedProxyNamedIsValid() {
    users.with(UserSnapshotsStandIn.active(ALICE, "alice", Set.of("user")));
    storeKey(Set.of("user"), "billing", null, null);

    var result = validate(forwarded(key.value(), "billing"));

    assertValid(
        result, new Caller(ALICE, "alice", Set.of("user"), AuthMethod.API_KEY, null, key.id()));
  }

  @Test
  void aKeyWithoutAudienceIsValidForAnyService() {
    users.with(UserSnapshotsStandIn.active(ALICE, "alice", Set.of("user")));
    storeKey(Set.of("user"), null, null, null);

    var result = validate(forwarded(key.value(), "billing"));

    assertValid(
        result, new Caller(ALICE, "alice", Set.of("user"), AuthMethod.API_KEY, null, key.id()));
  }

  // --- the owner now --------------------------------------------------------------------------

  @Test
  void aKeyOfADisabledOwnerIsInvalid() {
    users.with(UserSnapshotsStandIn.disabled(ALICE, "alice", Set.of("user")));
    storeKey(Set.of("user"), null, null, null);
    var presented = presented(key.value());

    assertRefused(validate(presented), presented, "OWNER_DISABLED", key.id());
  }

  @Test
  void aKeyOfAnUnknownOwnerIsInvalid() {
    // a deleted owner: the same answer as a disabled one
    storeKey(Set.of("user"), null, null, null);
    var presented = presented(key.value());

    assertRefused(validate(presented), presented, "OWNER_DISABLED", key.id());
  }

  @Test
  void theScopesAreNarrowedToTheOwnersCurrentRoles() {
    users.with(UserSnapshotsStandIn.active(ALICE, "alice", Set.of("user", "auditor")));
    storeKey(Set.of("user", "admin"), null, null, null); // admin removed since the key was made

    var result = validate(presented(key.value()));

    assertValid(
        result, new Caller(ALICE, "alice", Set.of("user"), AuthMethod.API_KEY, null, key.id()));
  }

  // --- the limit on failures ------------------------------------------------------------------

  @Test
  void anAddressWithTooManyFailuresIsAnswered429BeforeItsKeyIsChecked() {
    users.with(UserSnapshotsStandIn.active(ALICE, "alice", Set.of("user")));
    storeKey(Set.of("user"), null, null, null);
    failTimes(FAILURES_PER_MINUTE, IP);
    int lookupsBefore = lookups.get();
    var presented = presented(key.value());

    var result = validate(presented);

    assertThat(result.getStatus()).isEqualTo(INVALID);
    assertThat(presented.rejection()).isEqualTo(Rejection.rateLimited(20)); // 1 of 3 a minute
    assertThat(lookups).as("key look-ups").hasValue(lookupsBefore);
    assertThat(audited).as("the 429 is the mechanism's to audit").hasSize(FAILURES_PER_MINUTE);
    assertThat(used).isEmpty();
  }

  @Test
  void oneAddressesFailuresDoNotLimitAnother() {
    users.with(UserSnapshotsStandIn.active(ALICE, "alice", Set.of("user")));
    storeKey(Set.of("user"), null, null, null);
    failTimes(FAILURES_PER_MINUTE, "198.51.100.9");

    var result = validate(presented(key.value()));

    assertThat(result.getStatus()).isEqualTo(VALID);
  }

  @Test
  void theLimitLiftsAsTheBucketRefills() {
    users.with(UserSnapshotsStandIn.active(ALICE, "alice", Set.of("user")));
    storeKey(Set.of("user"), null, null, null);
    failTimes(FAILURES_PER_MINUTE, IP);
    meterNanos += Duration.ofSeconds(20).toNanos();

    var result = validate(presented(key.value()));

    assertThat(result.getStatus()).isEqualTo(VALID);
  }

  // --- a store unreachable --------------------------------------------------------------------

  @Test
  void anUnreachableKeyStoreFailsTheValidationForTheMechanismToAnswer503() {
    var failure = databaseUnreachable();
    keyStoreFailure = failure;
    var presented = presented(key.value());

    assertThatThrownBy(() -> store.validate(presented)).isSameAs(failure);

    assertThat(presented.rejection())
        .as("left for the mechanism to set")
        .isEqualTo(Rejection.invalid("The credential is not valid"));
    assertThat(audited).isEmpty();
    assertThat(buckets.existing("api-key:" + IP)).as("failures counted").isEmpty();
  }

  @Test
  void anUnreachableUserStoreFailsTheValidationForTheMechanismToAnswer503() {
    var failure = databaseUnreachable();
    users.failWith(failure);
    storeKey(Set.of("user"), null, null, null);
    var presented = presented(key.value());

    assertThatThrownBy(() -> store.validate(presented)).isSameAs(failure);

    assertThat(presented.rejection())
        .as("left for the mechanism to set")
        .isEqualTo(Rejection.invalid("The credential is not valid"));
    assertThat(audited).isEmpty();
    assertThat(buckets.existing("api-key:" + IP)).as("failures counted").isEmpty();
    assertThat(used).isEmpty();
  }

  @Test
  void anUnwritableAuditTurnsARefusalIntoAFailureButTheFailureIsCounted() {
    // AuditLog answers 503 when the event cannot be written: there is no unaudited refusal either
    var failure = ProblemException.unavailable();
    auditFailure = failure;
    var presented = presented(key.value()); // unknown

    assertThatThrownBy(() -> store.validate(presented)).isSameAs(failure);

    assertThat(buckets.existing("api-key:" + IP))
        .as("failures counted")
        .get()
        .satisfies(bucket -> assertThat(bucket.getAvailableTokens()).isEqualTo(2));
  }

  // --- fixtures -------------------------------------------------------------------------------

  /** The key service with its store stood in: the real verifier over {@link #stored} records. */
  private final class KeyStoreStandIn extends ApiKeyService {

    private final ApiKeyVerifier verifier =
        new ApiKeyVerifier(
            id -> {
              lookups.incrementAndGet();
              if (keyStoreFailure != null) {
                throw keyStoreFailure;
              }
              return Optional.ofNullable(stored.get(id));
            },
            MessageDigest::isEqual);

    @Override
    public ApiKeyVerifier.Outcome verify(String presented) {
      // the test's clock, not the inherited field, which no container injected
      return verifier.verify(presented, ApiKeyIdentityStoreTest.this.clock.instant());
    }

    @Override
    public void used(String keyId) {
      used.add(keyId);
    }
  }

  /** The time the rate-limit buckets refill by. */
  private final class HandMovedMeter implements TimeMeter {

    @Override
    public long currentTimeNanos() {
      return meterNanos;
    }

    @Override
    public boolean isWallClockBased() {
      return false;
    }
  }

  /** Stores {@link #key}, owned by Alice, created an hour before {@link #T0}. */
  private void storeKey(Set<String> scopes, String audience, Instant expiresAt, Instant revokedAt) {
    stored.put(
        key.id(),
        new ApiKeyRecord(
            key.id(),
            ALICE,
            scopes,
            audience,
            ApiKeyVerifier.hash(key.secret()),
            null,
            null,
            expiresAt,
            revokedAt));
  }

  /** A key presented to Portcullis itself from {@link #IP}. */
  private ApiKeyCredential presented(String value) {
    return presented(value, null, IP);
  }

  /** A key presented on forward authentication, for the audience a trusted proxy named. */
  private ApiKeyCredential forwarded(String value, String audience) {
    return presented(value, audience, IP);
  }

  private ApiKeyCredential presented(String value, String audience, String ip) {
    return new ApiKeyCredential(
        value,
        audience,
        ip,
        () -> {
          clientReads.incrementAndGet();
          return new ClientInfo(ip, CLIENT.userAgent(), CLIENT.requestId());
        });
  }

  /** Presents {@code times} unknown keys from {@code ip}, each refused and counted. */
  private void failTimes(int times, String ip) {
    for (int i = 0; i < times; i++) {
      var unknown = presented(ApiKeyFormat.generate().value(), null, ip);
      assertThat(validate(unknown).getStatus()).isEqualTo(INVALID);
      assertThat(unknown.rejection()).isEqualTo(INVALID_KEY);
    }
  }

  private CredentialValidationResult validate(Credential credential) {
    return store.validate(credential);
  }

  /** Refused as 401, audited once with {@code reason} about {@code keyId}, and counted. */
  private void assertRefused(
      CredentialValidationResult result, ApiKeyCredential presented, String reason, String keyId) {
    assertThat(result.getStatus()).isEqualTo(INVALID);
    assertThat(result.getCallerPrincipal()).isNull();
    assertThat(presented.rejection()).isEqualTo(INVALID_KEY);
    assertThat(audited)
        .singleElement()
        .isEqualTo(AuditRecord.failure(AuditEventType.API_KEY_USE_FAILED, reason, keyId, CLIENT));
    assertThat(buckets.existing("api-key:" + IP))
        .as("failures counted")
        .get()
        .satisfies(
            bucket -> assertThat(bucket.getAvailableTokens()).isEqualTo(FAILURES_PER_MINUTE - 1));
    assertThat(used).as("use noted").isEmpty();
  }

  private static RuntimeException databaseUnreachable() {
    return new PersistenceException(
        "Unable to acquire JDBC Connection",
        new SQLTransientConnectionException("Connection is not available"));
  }
}
