package dev.portcullis.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.cluster.ChangeKind;
import dev.portcullis.cluster.StaleEntries;
import dev.portcullis.config.MapConfig;
import dev.portcullis.config.SettingsProducer;
import dev.portcullis.token.OpaqueTokens;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.hibernate.Session;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SessionService#validate} over its cache, which keeps a record until it changes: idleness
 * must still be judged right (default idle timeout 30 min) although the cached record's last-seen
 * time is as old as the entry, and a change announced by the cluster's feed must drop the entry.
 */
class SessionServiceTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  private final Map<String, LoginSession> database = new HashMap<>();
  private final AtomicInteger loads = new AtomicInteger();
  private final MovableClock clock = new MovableClock(T0);
  private SessionService sessions;
  private String cookie;

  @BeforeEach
  void setUp() {
    sessions = new SessionService();
    sessions.settings = SettingsProducer.read(new MapConfig(Map.of()));
    sessions.clock = clock;
    sessions.em = entityManager();
    cookie = OpaqueTokens.random();
    store(cookie, T0);
  }

  @Test
  void aSessionInUseStaysValidPastTheIdleTimeoutCountedFromItsCachedRecord() {
    assertThat(sessions.validate(cookie)).isPresent();
    for (int minutes = 20; minutes <= 120; minutes += 20) {
      clock.set(T0.plus(Duration.ofMinutes(minutes)));
      sessions.flushLastSeen(); // writes and forgets the pending activity
      assertThat(sessions.validate(cookie)).as("after %d minutes in use", minutes).isPresent();
    }
    assertThat(loads.get()).as("served from the cache").isEqualTo(1);
  }

  @Test
  void aSessionThatLooksIdleHereIsReadAgainSinceAnotherNodeMayHaveServedIt() {
    assertThat(sessions.validate(cookie)).isPresent();
    // another node served it 25 minutes later and wrote its last-seen time
    store(cookie, T0.plus(Duration.ofMinutes(25)));
    clock.set(T0.plus(Duration.ofMinutes(35)));

    assertThat(sessions.validate(cookie)).isPresent();
    assertThat(loads.get()).isEqualTo(2);
  }

  @Test
  void aSessionIdleInTheDatabaseTooIsRefusedAndNotReadAgain() {
    assertThat(sessions.validate(cookie)).isPresent();
    clock.set(T0.plus(Duration.ofMinutes(31)));

    assertThat(sessions.validate(cookie)).isEmpty();
    assertThat(sessions.validate(cookie)).isEmpty();
    assertThat(loads.get()).isEqualTo(2);
  }

  @Test
  void aSessionEndedOnAnotherNodeIsRefusedOnceTheFeedNamesIt() {
    assertThat(sessions.validate(cookie)).isPresent();
    database.get(OpaqueTokens.sha256(cookie)).revoke(T0, "LOGOUT");
    assertThat(sessions.validate(cookie)).as("still cached").isPresent();

    sessions.onStale(StaleEntries.of(ChangeKind.SESSION, List.of(OpaqueTokens.sha256(cookie))));

    assertThat(sessions.validate(cookie)).isEmpty();
  }

  @Test
  void feedEntriesOfOtherKindsLeaveSessionsCached() {
    assertThat(sessions.validate(cookie)).isPresent();
    sessions.onStale(StaleEntries.of(ChangeKind.API_KEY, List.of(OpaqueTokens.sha256(cookie))));
    assertThat(sessions.validate(cookie)).isPresent();
    assertThat(loads.get()).isEqualTo(1);

    sessions.onStale(StaleEntries.all());
    assertThat(sessions.validate(cookie)).isPresent();
    assertThat(loads.get()).as("everything dropped").isEqualTo(2);
  }

  private void store(String cookieValue, Instant lastSeen) {
    var session =
        new LoginSession(
            OpaqueTokens.sha256(cookieValue),
            UUID.randomUUID(),
            OpaqueTokens.random(),
            lastSeen,
            T0.plus(Duration.ofHours(12)),
            "192.0.2.1",
            "test",
            "password");
    database.put(session.tokenHash(), session);
  }

  /** Answers the cache's load query from {@code database}; writes of last-seen times are no-ops. */
  private EntityManager entityManager() {
    return (EntityManager)
        Proxy.newProxyInstance(
            EntityManager.class.getClassLoader(),
            new Class<?>[] {EntityManager.class},
            (self, method, args) ->
                switch (method.getName()) {
                  case "createNamedQuery" -> {
                    assertThat(args[0]).isEqualTo(LoginSession.BY_TOKEN_HASH);
                    loads.incrementAndGet();
                    yield byHashQuery();
                  }
                  case "unwrap" -> noWorkSession();
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  private TypedQuery<?> byHashQuery() {
    var hash = new AtomicReference<String>();
    return (TypedQuery<?>)
        Proxy.newProxyInstance(
            TypedQuery.class.getClassLoader(),
            new Class<?>[] {TypedQuery.class},
            (self, method, args) ->
                switch (method.getName()) {
                  case "setParameter" -> {
                    hash.set((String) args[1]);
                    yield self;
                  }
                  case "getResultStream" -> Stream.ofNullable(database.get(hash.get()));
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  private static Session noWorkSession() {
    return (Session)
        Proxy.newProxyInstance(
            Session.class.getClassLoader(),
            new Class<?>[] {Session.class},
            (self, method, args) -> {
              if (!method.getName().equals("doWork")) {
                throw new UnsupportedOperationException(method.getName());
              }
              return null;
            });
  }

  private static final class MovableClock extends Clock {
    private Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    void set(Instant instant) {
      now = instant;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
