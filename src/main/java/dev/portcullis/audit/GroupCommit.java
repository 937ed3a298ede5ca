package dev.portcullis.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Writes items submitted by many threads in shared batches, the way a database's group commit
 * shares one log flush: whoever holds the writing turn writes everything queued so far (up to
 * {@code maxBatch}), its own item and the others'; a caller whose item was written while it waited
 * for the turn returns at once. There is no background thread: the batch is written on a submitting
 * thread, and {@link #submit} returns only once its item is written, or throws what the writer
 * threw for that batch. Thread-safe.
 */
final class GroupCommit<T> {

  private final Consumer<List<T>> writer;
  private final int maxBatch;
  private final ConcurrentLinkedQueue<Pending<T>> queue = new ConcurrentLinkedQueue<>();
  private final ReentrantLock turn = new ReentrantLock();

  GroupCommit(Consumer<List<T>> writer, int maxBatch) {
    this.writer = writer;
    this.maxBatch = maxBatch;
  }

  /** Writes {@code item} in the next batch; returns when it is written. */
  void submit(T item) {
    var pending = new Pending<>(item);
    queue.add(pending);
    turn.lock();
    try {
      while (!pending.finished) {
        writeBatch();
      }
    } finally {
      turn.unlock();
    }
    if (pending.failure != null) {
      throw pending.failure;
    }
  }

  /** Called with the turn held. */
  private void writeBatch() {
    var batch = new ArrayList<Pending<T>>();
    for (Pending<T> next; batch.size() < maxBatch && (next = queue.poll()) != null; ) {
      batch.add(next);
    }
    RuntimeException failure = null;
    try {
      writer.accept(batch.stream().map(p -> p.item).toList());
    } catch (RuntimeException e) {
      failure = e;
    }
    for (var pending : batch) {
      pending.failure = failure;
      pending.finished = true;
    }
  }

  /** Read and written only with the turn held, which orders every access. */
  private static final class Pending<T> {
    final T item;
    boolean finished;
    RuntimeException failure;

    Pending(T item) {
      this.item = item;
    }
  }
}
