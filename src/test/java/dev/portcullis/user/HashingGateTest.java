package dev.portcullis.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.config.MapConfig;
import dev.portcullis.problem.ProblemException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HashingGateTest {

  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  @Test
  void neverRunsMoreHashesAtOnceThanItsConcurrency() throws Exception {
    var gate = new HashingGate(new HashingSettings(2, Duration.ofSeconds(10), 100));
    var running = new AtomicInteger();
    var most = new AtomicInteger();
    var futures = new ArrayList<Future<?>>();
    for (int i = 0; i < 12; i++) {
      futures.add(
          threads.submit(
              () ->
                  gate.run(
                      () -> {
                        most.accumulateAndGet(running.incrementAndGet(), Math::max);
                        sleep(20);
                        running.decrementAndGet();
                        return null;
                      })));
    }
    for (var future : futures) {
      future.get(10, TimeUnit.SECONDS);
    }
    assertThat(most.get()).isEqualTo(2);
  }

  @Test
  void aWaiterGets503WithRetryAfterWhenNoTurnComesInTime() throws Exception {
    var gate = new HashingGate(new HashingSettings(1, Duration.ofMillis(50), 10));
    var release = new CountDownLatch(1);
    var holding = holdTheOnlyTurn(gate, release);
    long start = System.nanoTime();
    assertThatThrownBy(() -> gate.run(() -> "never"))
        .isInstanceOfSatisfying(
            ProblemException.class,
            e -> {
              assertThat(e.problem().status()).isEqualTo(503);
              assertThat(e.retryAfterSeconds()).isEqualTo(1);
            });
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    release.countDown();
    holding.get(5, TimeUnit.SECONDS);
    assertThat(gate.run(() -> "free again")).isEqualTo("free again");
  }

  @Test
  void aFullQueueRefusesAtOnce() throws Exception {
    var gate = new HashingGate(new HashingSettings(1, Duration.ofSeconds(30), 0));
    var release = new CountDownLatch(1);
    var holding = holdTheOnlyTurn(gate, release);
    long start = System.nanoTime();
    assertThatThrownBy(() -> gate.run(() -> "never")).isInstanceOf(ProblemException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    release.countDown();
    holding.get(5, TimeUnit.SECONDS);
  }

  @Test
  void admitRefusesUpFrontOnlyWhenTheQueueIsFull() throws Exception {
    var gate = new HashingGate(new HashingSettings(1, Duration.ofSeconds(30), 1));
    gate.admit();
    var release = new CountDownLatch(1);
    var holding = holdTheOnlyTurn(gate, release);
    gate.admit(); // the turn is taken, but one may still queue
    var waiting = threads.submit(() -> gate.run(() -> "queued"));
    sleep(100);
    assertThatThrownBy(gate::admit).isInstanceOf(ProblemException.class);
    release.countDown();
    holding.get(5, TimeUnit.SECONDS);
    assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo("queued");
    gate.admit();
  }

  @Test
  void refusalsFromAFullQueueLeaveNoTraceBehind() throws Exception {
    var gate = new HashingGate(new HashingSettings(1, Duration.ofMillis(20), 1));
    for (int round = 0; round < 3; round++) {
      var release = new CountDownLatch(1);
      var holding = holdTheOnlyTurn(gate, release);
      var waiting = new ArrayList<Future<?>>();
      for (int i = 0; i < 8; i++) {
        waiting.add(threads.submit(() -> gate.run(() -> "never")));
      }
      for (var future : waiting) {
        assertThatThrownBy(() -> future.get(5, TimeUnit.SECONDS))
            .hasCauseInstanceOf(ProblemException.class);
      }
      release.countDown();
      holding.get(5, TimeUnit.SECONDS);
      // the refused ones are gone: the gate admits, and one may queue again
      gate.admit();
      assertThat(gate.run(() -> "served")).isEqualTo("served");
    }
  }

  @Test
  void aFailingHashGivesItsTurnBack() {
    var gate = new HashingGate(new HashingSettings(1, Duration.ZERO, 0));
    assertThatThrownBy(
            () ->
                gate.run(
                    () -> {
                      throw new IllegalStateException("boom");
                    }))
        .hasMessage("boom");
    assertThat(gate.run(() -> "next")).isEqualTo("next");
  }

  @Test
  void settingsDefaultToOneTurnPerCoreAndABriefQueueAndRejectNonsense() {
    var defaults = HashingSettings.read(new MapConfig(Map.of()));
    int cores = Runtime.getRuntime().availableProcessors();
    assertThat(defaults.concurrency()).isEqualTo(cores);
    assertThat(defaults.queueTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(defaults.maxQueued()).isEqualTo(32 * cores);
    assertThat(
            HashingSettings.read(new MapConfig(Map.of(HashingSettings.CONCURRENCY, "3")))
                .maxQueued())
        .isEqualTo(96);
    assertThatThrownBy(
            () -> HashingSettings.read(new MapConfig(Map.of(HashingSettings.CONCURRENCY, "0"))))
        .hasMessageContaining(HashingSettings.CONCURRENCY);
    assertThatThrownBy(
            () ->
                HashingSettings.read(new MapConfig(Map.of(HashingSettings.QUEUE_TIMEOUT, "PT1M"))))
        .hasMessageContaining(HashingSettings.QUEUE_TIMEOUT);
    assertThatThrownBy(
            () -> HashingSettings.read(new MapConfig(Map.of(HashingSettings.QUEUE_TIMEOUT, "1s"))))
        .hasMessageContaining("ISO-8601");
  }

  /** Takes the gate's only turn on another thread until {@code release}. */
  private Future<?> holdTheOnlyTurn(HashingGate gate, CountDownLatch release)
      throws InterruptedException {
    var taken = new CountDownLatch(1);
    var future =
        threads.submit(
            () ->
                gate.run(
                    () -> {
                      taken.countDown();
                      try {
                        return release.await(10, TimeUnit.SECONDS);
                      } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                      }
                    }));
    assertThat(taken.await(5, TimeUnit.SECONDS)).isTrue();
    return future;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
