package dev.portcullis.session;

import dev.portcullis.config.MapConfig;
import dev.portcullis.config.SettingsProducer;
import dev.portcullis.secret.OpaqueTokens;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The hot path of a request carrying the session cookie: the real {@link SessionService#validate},
 * which hashes the cookie value ({@link OpaqueTokens#sha256}), finds the session in the service's
 * own cache, checks revocation and the idle and absolute deadlines, and notes the activity in
 * memory.
 *
 * <p>The service is built with {@code new} (it lives in this package for its package-private
 * fields) over {@link SessionStoreStandIn}, an in-memory stand-in for the {@link EntityManager}.
 * 4,096 sessions are loaded into the cache during set-up; the cache keeps an entry until it changes
 * (at most {@link SessionService#CACHE_LIFETIME}), so every measured call is a hit; a load after
 * set-up is reported on standard error.
 */
@State(Scope.Thread)
public class SessionValidateBenchmark {

  // a power of two: the index wraps with a mask
  private static final int SESSIONS = 4096;

  private final String[] cookies = new String[SESSIONS];
  private final AtomicInteger loads = new AtomicInteger();
  private SessionService sessions;
  private int next;

  @Setup
  public void setUp() {
    var settings = SettingsProducer.read(new MapConfig(Map.of()));
    var stored = new HashMap<String, LoginSession>();
    Instant now = Instant.now();
    for (int i = 0; i < SESSIONS; i++) {
      cookies[i] = OpaqueTokens.random();
      var session =
          new LoginSession(
              OpaqueTokens.sha256(cookies[i]),
              UUID.randomUUID(),
              OpaqueTokens.random(),
              now,
              now.plus(settings.sessionAbsoluteTimeout()),
              "192.0.2.1",
              "JMH",
              "password");
      stored.put(session.tokenHash(), session);
    }
    sessions = new SessionService();
    sessions.settings = settings;
    sessions.clock = Clock.systemUTC();
    sessions.em = SessionStoreStandIn.over(stored, loads);
    for (String cookie : cookies) {
      if (sessions.validate(cookie).isEmpty()) {
        throw new IllegalStateException("a benchmark session does not validate");
      }
    }
    loads.set(0);
  }

  @TearDown
  public void reportLoads() {
    if (loads.get() > 0) {
      System.err.println("SessionValidateBenchmark: " + loads.get() + " cache loads after set-up");
    }
  }

  @Benchmark
  public Optional<SessionRecord> validate() {
    return sessions.validate(cookies[next++ & (SESSIONS - 1)]);
  }
}
