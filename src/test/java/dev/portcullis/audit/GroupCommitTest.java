package dev.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  @Test
  void everyItemIsWrittenExactlyOnceAndBatchesNeverOverlap() throws Exception {
    var written = Collections.synchronizedList(new ArrayList<Integer>());
    var writing = new AtomicBoolean();
    var overlaps = new AtomicInteger();
    var batches = new AtomicInteger();
    var commit =
        new GroupCommit<Integer>(
            items -> {
              if (!writing.compareAndSet(false, true)) {
                overlaps.incrementAndGet();
              }
              batches.incrementAndGet();
              sleep(2);
              written.addAll(items);
              writing.set(false);
            },
            16);
    var futures = new ArrayList<Future<?>>();
    for (int i = 0; i < 400; i++) {
      int item = i;
      futures.add(threads.submit(() -> commit.submit(item)));
    }
    for (var future : futures) {
      future.get(30, TimeUnit.SECONDS);
    }
    assertThat(written).hasSize(400).doesNotHaveDuplicates();
    assertThat(overlaps.get()).isZero();
    // callers that arrive while a batch is written share the next one
    assertThat(batches.get()).isLessThan(400);
  }

  @Test
  void submitReturnsOnlyOnceItsItemIsWritten() throws Exception {
    var release = new CountDownLatch(1);
    var written = Collections.synchronizedList(new ArrayList<String>());
    var commit =
        new GroupCommit<String>(
            items -> {
              if (items.contains("first")) {
                await(release);
              }
              written.addAll(items);
            },
            8);
    var first = threads.submit(() -> commit.submit("first"));
    sleep(50);
    var second = threads.submit(() -> commit.submit("second"));
    sleep(50);
    assertThat(second.isDone()).isFalse();
    release.countDown();
    first.get(5, TimeUnit.SECONDS);
    second.get(5, TimeUnit.SECONDS);
    assertThat(written).containsExactly("first", "second");
  }

  @Test
  void everyCallerOfAFailedBatchGetsTheFailureAndLaterBatchesStillWork() throws Exception {
    var fail = new AtomicBoolean(true);
    var commit =
        new GroupCommit<String>(
            items -> {
              if (fail.get()) {
                throw new IllegalStateException("database down");
              }
            },
            8);
    assertThatThrownBy(() -> commit.submit("lost")).hasMessage("database down");
    fail.set(false);
    commit.submit("kept");
  }

  @Test
  void aBatchHoldsAtMostMaxBatchItems() throws Exception {
    var sizes = Collections.synchronizedList(new ArrayList<Integer>());
    var gate = new CountDownLatch(1);
    var commit =
        new GroupCommit<Integer>(
            items -> {
              sizes.add(items.size());
              if (sizes.size() == 1) {
                await(gate);
              }
            },
            5);
    var futures = new ArrayList<Future<?>>();
    futures.add(threads.submit(() -> commit.submit(-1)));
    sleep(50);
    for (int i = 0; i < 23; i++) {
      int item = i;
      futures.add(threads.submit(() -> commit.submit(item)));
    }
    sleep(100);
    gate.countDown();
    for (var future : futures) {
      future.get(10, TimeUnit.SECONDS);
    }
    assertThat(sizes).allMatch(size -> size <= 5);
    assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(24);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
