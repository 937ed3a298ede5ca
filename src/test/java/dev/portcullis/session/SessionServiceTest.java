package dev.portcullis.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.cluster.ChangeKind;
import dev.portcullis.cluster.StaleEntries;
import dev.portcullis.config.MapConfig;
import dev.portcullis.config.SettingsProducer;
import dev.portcullis.secret.OpaqueTokens;
import dev.portcullis.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
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
    sessions.em = SessionStoreStandIn.over(database, loads);
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
}
