package dev.portcullis.session;

import static dev.portcullis.testing.ValidationResults.assertValid;
import static jakarta.security.enterprise.identitystore.CredentialValidationResult.Status.INVALID;
import static jakarta.security.enterprise.identitystore.CredentialValidationResult.Status.NOT_VALIDATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.apikey.ApiKeyCredential;
import dev.portcullis.caller.AuthMethod;
import dev.portcullis.caller.Caller;
import dev.portcullis.config.MapConfig;
import dev.portcullis.config.SettingsProducer;
import dev.portcullis.credential.Rejection;
import dev.portcullis.problem.ErrorCode;
import dev.portcullis.secret.OpaqueTokens;
import dev.portcullis.testing.MovableClock;
import dev.portcullis.token.BearerTokenCredential;
import dev.portcullis.user.UserSnapshotsStandIn;
import dev.portcullis.web.ClientInfo;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import jakarta.security.enterprise.credential.Credential;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import java.lang.reflect.Proxy;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The decision table of {@link SessionIdentityStore}, one test per row: a live session, a foreign
 * credential, every way a session has ended (unknown or malformed cookie, logged out, idle, past
 * its absolute deadline, its user disabled or deleted) and an unreachable session or user store.
 *
 * <p>Behind the store are the real {@link SessionService} (default settings: 30 minutes idle, 12
 * hours absolute) over {@link SessionStoreStandIn}, and the real {@link
 * dev.portcullis.user.UserSnapshots} over {@link UserSnapshotsStandIn}. Time is pinned with a
 * {@link MovableClock}.
 */
class SessionIdentityStoreTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final UUID ALICE = UUID.fromString("5f0c7a2e-8d1b-4c3a-9e6f-0a1b2c3d4e5f");
  private static final Rejection ENDED =
      new Rejection(ErrorCode.SESSION_ENDED, "The session has ended");
  private static final ClientInfo CLIENT = new ClientInfo("203.0.113.5", "curl/8", "req-1");

  private final Map<String, LoginSession> database = new HashMap<>();
  private final AtomicInteger loads = new AtomicInteger();
  private final MovableClock clock = new MovableClock(T0);
  private final SessionService sessions = new SessionService();
  private final UserSnapshotsStandIn users = new UserSnapshotsStandIn();
  private final SessionIdentityStore store = new SessionIdentityStore();
  private final String cookie = OpaqueTokens.random();
  private final LoginSession session;

  SessionIdentityStoreTest() {
    sessions.settings = SettingsProducer.read(new MapConfig(Map.of()));
    sessions.clock = clock;
    sessions.em = SessionStoreStandIn.over(database, loads);
    store.sessions = sessions;
    store.users = users.snapshots();
    session = store(cookie, T0.plus(Duration.ofHours(12)));
  }

  // --- valid ----------------------------------------------------------------------------------

  @Test
  void aLiveSessionIsValidWithItsUsersCurrentRoles() {
    users.with(UserSnapshotsStandIn.active(ALICE, "alice", Set.of("user", "admin")));
    clock.advance(Duration.ofMinutes(29));

    var result = validate(new SessionCredential(cookie));

    String sid = session.id().toString();
    assertValid(
        result, new Caller(ALICE, "alice", Set.of("user", "admin"), AuthMethod.SESSION, sid, sid));
  }

  @Test
  void aCredentialOfAnotherKindIsNotValidated() {
    users.with(UserSnapshotsStandIn.active(ALICE, "alice", Set.of("user")));

    for (Credential foreign :
        List.<Credential>of(
            new BearerTokenCredential(cookie, () -> CLIENT),
            new ApiKeyCredential(cookie, null, CLIENT.ip(), () -> CLIENT),
            new UsernamePasswordCredential("alice", cookie))) {
      assertThat(store.validate(foreign).getStatus())
          .as(foreign.toString())
          .isEqualTo(NOT_VALIDATED);
    }
    assertThat(loads).as("session look-ups").hasValue(0);
    assertThat(users.loads()).as("user look-ups").isZero();
  }

  // --- the session has ended ------------------------------------------------------------------

  @Test
  void anUnknownCookieIsInvalid() {
    users.with(UserSnapshotsStandIn.active(ALICE, "alice", Set.of("user")));
    var unknown = new SessionCredential(OpaqueTokens.random());

    assertRefused(validate(unknown), unknown);
    assertThat(loads).as("looked up").hasValue(1);
  }

  @Test
  void aCookieThatIsNoSessionValueIsInvalidWithoutALookUp() {
    var malformed = new SessionCredential("not-a-session");

    assertRefused(validate(malformed), malformed);
    assertThat(loads).as("session look-ups").hasValue(0);
  }

  @Test
  void aLoggedOutSessionIsInvalid() {
    users.with(UserSnapshotsStandIn.active(ALICE, "alice", Set.of("user")));
    session.revoke(T0, "LOGOUT");
    var credential = new SessionCredential(cookie);

    assertRefused(validate(credential), credential);
  }

  @Test
  void anIdleSessionIsInvalid() {
    users.with(UserSnapshotsStandIn.active(ALICE, "alice", Set.of("user")));
    clock.advance(Duration.ofMinutes(30));
    var credential = new SessionCredential(cookie);

    assertRefused(validate(credential), credential);
  }

  @Test
  void aSessionPastItsAbsoluteDeadlineIsInvalid() {
    users.with(UserSnapshotsStandIn.active(ALICE, "alice", Set.of("user")));
    String shortLived = OpaqueTokens.random();
    store(shortLived, T0.plus(Duration.ofMinutes(10)));
    clock.advance(Duration.ofMinutes(10)); // not idle: 10 of 30 minutes
    var credential = new SessionCredential(shortLived);

    assertRefused(validate(credential), credential);
  }

  @Test
  void aSessionOfADisabledUserIsInvalid() {
    users.with(UserSnapshotsStandIn.disabled(ALICE, "alice", Set.of("user")));
    var credential = new SessionCredential(cookie);

    assertRefused(validate(credential), credential);
  }

  @Test
  void aSessionOfAnUnknownUserIsInvalid() {
    var credential = new SessionCredential(cookie);

    assertRefused(validate(credential), credential);
    assertThat(users.loads()).as("looked up").isEqualTo(1);
  }

  // --- a store unreachable --------------------------------------------------------------------

  @Test
  void anUnreachableSessionStoreFailsTheValidationForTheMechanismToAnswer503() {
    var failure = databaseUnreachable();
    sessions.em = failingEntityManager(failure);
    var credential = new SessionCredential(cookie);

    assertThatThrownBy(() -> store.validate(credential)).isSameAs(failure);

    assertThat(credential.rejection())
        .as("left for the mechanism to set")
        .isEqualTo(Rejection.invalid("The credential is not valid"));
    assertThat(users.loads()).as("user look-ups").isZero();
  }

  @Test
  void anUnreachableUserStoreFailsTheValidationForTheMechanismToAnswer503() {
    var failure = databaseUnreachable();
    users.failWith(failure);
    var credential = new SessionCredential(cookie);

    assertThatThrownBy(() -> store.validate(credential)).isSameAs(failure);

    assertThat(credential.rejection())
        .as("left for the mechanism to set")
        .isEqualTo(Rejection.invalid("The credential is not valid"));
  }

  // --- fixtures -------------------------------------------------------------------------------

  private CredentialValidationResult validate(Credential credential) {
    return store.validate(credential);
  }

  /** Stores a session of Alice's started at {@link #T0}, named by {@code cookieValue}. */
  private LoginSession store(String cookieValue, Instant absoluteExpiresAt) {
    var stored =
        new LoginSession(
            OpaqueTokens.sha256(cookieValue),
            ALICE,
            OpaqueTokens.random(),
            T0,
            absoluteExpiresAt,
            CLIENT.ip(),
            CLIENT.userAgent(),
            "password");
    database.put(stored.tokenHash(), stored);
    return stored;
  }

  private static void assertRefused(
      CredentialValidationResult result, SessionCredential credential) {
    assertThat(result.getStatus()).isEqualTo(INVALID);
    assertThat(result.getCallerPrincipal()).isNull();
    assertThat(credential.rejection()).isEqualTo(ENDED);
  }

  private static RuntimeException databaseUnreachable() {
    return new PersistenceException(
        "Unable to acquire JDBC Connection",
        new SQLTransientConnectionException("Connection is not available"));
  }

  /** An entity manager whose every call fails with {@code failure}, as over a database gone. */
  private static EntityManager failingEntityManager(RuntimeException failure) {
    return (EntityManager)
        Proxy.newProxyInstance(
            EntityManager.class.getClassLoader(),
            new Class<?>[] {EntityManager.class},
            (self, method, args) -> {
              throw failure;
            });
  }
}
