package dev.portcullis.audit;

import dev.portcullis.web.ClientInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides which refusals are written and which are counted: {@link Refusals}' policy, without the
 * database or the clock, so it can be tested with pinned times.
 *
 * <p>A refusal's kind is its record without the user agent and request id: the same type, reason,
 * subject, detail and client address. The first refusal of a kind opens a window of the configured
 * length and is written at once; further ones in the window are only counted. When the window has
 * ended, a count above zero becomes one aggregate record ({@link Aggregate#record()}); the next
 * refusal of the kind opens a new window and is written at once again. So a flood costs at most two
 * rows per kind and window, however fast it comes.
 *
 * <p>At most {@code maxKinds} windows are open at once: beyond that, every new kind is counted
 * under one overflow kind per type and reason, without address or subject, so a flood from many
 * addresses cannot grow the map without bound either. Thread-safe.
 */
final class RefusalWindows {

  /** The detail of an overflow kind's records. */
  static final String OVERFLOW = "sources=many";

  private final Duration length;
  private final int maxKinds;
  private final Map<AuditRecord, Window> open = new ConcurrentHashMap<>();

  RefusalWindows(Duration length, int maxKinds) {
    this.length = length;
    this.maxKinds = maxKinds;
  }

  /**
   * The refusals of one kind counted, not written, in a window that has ended.
   *
   * @param kind the kind (a record without user agent or request id)
   * @param from when the window opened (the first refusal, which was written)
   * @param until when the window ended
   * @param repeated how many further refusals came in the window
   */
  record Aggregate(AuditRecord kind, Instant from, Instant until, long repeated) {

    /** The record to write: the kind, with the count and the window in its detail. */
    AuditRecord record() {
      String counted = "repeated=" + repeated + " since=" + from + " until=" + until;
      return kind.withDetail(kind.detail() == null ? counted : kind.detail() + " " + counted);
    }
  }

  /**
   * What to do with one refusal.
   *
   * @param write whether to write this refusal now (the first of its kind in a window)
   * @param ended the aggregate of the same kind's previous window, if it ended with a count
   */
  record Offer(boolean write, Optional<Aggregate> ended) {}

  /** Takes one refusal that happened at {@code now}. */
  Offer offer(AuditRecord refusal, Instant now) {
    AuditRecord kind = kindOf(refusal);
    if (!open.containsKey(kind) && open.size() >= maxKinds) {
      kind = overflowOf(kind);
    }
    var ended = new Aggregate[1];
    var opened = new boolean[1];
    open.compute(
        kind,
        (k, window) -> {
          if (window == null || !now.isBefore(window.until)) {
            if (window != null && window.repeated > 0) {
              ended[0] = window.aggregate(k);
            }
            opened[0] = true;
            return new Window(now, now.plus(length));
          }
          window.repeated++;
          return window;
        });
    return new Offer(opened[0], Optional.ofNullable(ended[0]));
  }

  /** Closes every window that has ended by {@code now}; returns those that counted refusals. */
  List<Aggregate> ended(Instant now) {
    var result = new ArrayList<Aggregate>();
    for (var kind : List.copyOf(open.keySet())) {
      open.computeIfPresent(
          kind,
          (k, window) -> {
            if (now.isBefore(window.until)) {
              return window;
            }
            if (window.repeated > 0) {
              result.add(window.aggregate(k));
            }
            return null;
          });
    }
    return result;
  }

  /** Closes every window, ended or not (shutdown); returns those that counted refusals. */
  List<Aggregate> closeAll(Instant now) {
    var result = new ArrayList<Aggregate>();
    for (var kind : List.copyOf(open.keySet())) {
      open.computeIfPresent(
          kind,
          (k, window) -> {
            if (window.repeated > 0) {
              result.add(new Aggregate(k, window.from, now, window.repeated));
            }
            return null;
          });
    }
    return result;
  }

  int openWindows() {
    return open.size();
  }

  /** The kind of a refusal: the record without user agent and request id. */
  static AuditRecord kindOf(AuditRecord refusal) {
    var client = refusal.client() == null ? null : new ClientInfo(refusal.client().ip(), null);
    return new AuditRecord(
        refusal.type(),
        refusal.outcome(),
        refusal.reason(),
        refusal.subject(),
        refusal.actor(),
        client,
        refusal.detail());
  }

  private static AuditRecord overflowOf(AuditRecord kind) {
    return new AuditRecord(kind.type(), kind.outcome(), kind.reason(), null, null, null, OVERFLOW);
  }

  /** Changed only inside the map's compute functions, which the map serialises per key. */
  private static final class Window {
    final Instant from;
    final Instant until;
    long repeated;

    Window(Instant from, Instant until) {
      this.from = from;
      this.until = until;
    }

    Aggregate aggregate(AuditRecord kind) {
      return new Aggregate(kind, from, until, repeated);
    }
  }
}
