package dev.portcullis.audit;

import dev.portcullis.web.ClientInfo;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Audits refusals that anyone can cause at any rate — refused bearer tokens ({@link
 * AuditEventType#ACCESS_TOKEN_REFUSED}; a revoked {@code sid} is a theft signal), rate limits
 * ({@link AuditEventType#RATE_LIMITED}) and CSRF refusals ({@link AuditEventType#CSRF_REJECTED}) —
 * without letting a flood of them become a flood of audit rows and chain appends.
 *
 * <p>The policy ({@link RefusalWindows}): the first refusal of a kind (type, reason, subject,
 * detail, client address) is written at once, as every other audit event is, with its user agent
 * and request id; repeats within {@code portcullis.audit.refusal-window} (default one minute) from
 * the window's start are counted, and when the window ends the count is written as one event of the
 * same kind whose detail reads {@code repeated=<n> since=<start> until=<end>}. A flood therefore
 * costs at most two rows per kind and window; a lone refusal costs one row, written before its
 * answer leaves. At most {@value #MAX_KINDS} kinds are counted apart at once; beyond that, new
 * kinds share one overflow kind per type and reason (detail {@code sources=many}), so a flood from
 * many addresses costs no more rows than a thousand sources do. Ended windows are written within a
 * second by a background task, and whatever is counted when the application stops is written then.
 *
 * <p>The refusal is the answer either way: if the audit store cannot take the event, the caller
 * still gets its 401, 403 or 429 (never a 500 or 503 because of the audit), and the event is logged
 * as a warning with its structured line instead. Thread-safe.
 *
 * <p>Usage: {@code refusals.record(AuditRecord.failure(AuditEventType.CSRF_REJECTED, "BAD_TOKEN",
 * userId, ClientInfo.of(request)))}.
 */
@ApplicationScoped
public class Refusals {

  private static final Logger LOG = Logger.getLogger("dev.portcullis.audit");

  /** Kinds counted at once before new ones share one overflow kind per type and reason. */
  static final int MAX_KINDS = 1_000;

  @Inject AuditLog audit;
  @Inject Clock clock;

  @Resource ManagedScheduledExecutorService scheduler;

  RefusalWindows windows;
  private ScheduledFuture<?> flusher;

  @PostConstruct
  void start() {
    windows =
        new RefusalWindows(
            AuditSettings.read(ConfigProvider.getConfig()).refusalWindow(), MAX_KINDS);
    flusher = scheduler.scheduleWithFixedDelay(this::flush, 1, 1, TimeUnit.SECONDS);
  }

  @PreDestroy
  void stop() {
    if (flusher != null) {
      flusher.cancel(false);
    }
    windows.closeAll(clock.instant()).forEach(aggregate -> write(aggregate.record()));
  }

  /** Audits one refusal: written now if it is the first of its kind in the window, else counted. */
  public void record(AuditRecord refusal) {
    var offer = windows.offer(refusal, clock.instant());
    offer.ended().ifPresent(aggregate -> write(aggregate.record()));
    if (offer.write()) {
      write(refusal);
    }
  }

  /**
   * A 429 answered to {@code client}.
   *
   * @param where which path answered it: {@code API} (the JSON API), {@code AUTHENTICATION} (the
   *     mechanism, before any resource), {@code LOGIN_PAGE}
   * @param endpoint the endpoint, or the kind of credential the mechanism refused ({@code ApiKey},
   *     {@code BearerToken}, {@code Session}): a fixed name, never the request's own URI
   */
  public void rateLimited(ClientInfo client, String where, String endpoint) {
    record(
        AuditRecord.failure(AuditEventType.RATE_LIMITED, where, null, client)
            .withDetail("endpoint=" + endpoint));
  }

  /**
   * A state-changing request refused for want of CSRF proof.
   *
   * @param reason {@code BAD_TOKEN} (missing or wrong token) or {@code CROSS_ORIGIN}
   * @param subject the user whose session it would have acted for, or null
   * @param endpoint the endpoint, a fixed name
   */
  public void csrfRejected(ClientInfo client, String reason, String subject, String endpoint) {
    record(
        AuditRecord.failure(AuditEventType.CSRF_REJECTED, reason, subject, client)
            .withDetail("endpoint=" + endpoint));
  }

  /** Writes the aggregates of ended windows; runs every second. */
  void flush() {
    try {
      windows.ended(clock.instant()).forEach(aggregate -> write(aggregate.record()));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Refusal aggregates not written: {0}", e.getClass().getName());
    }
  }

  private void write(AuditRecord record) {
    try {
      audit.record(record);
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "Refusal not stored ({0}); {1}",
          new Object[] {e.getClass().getName(), AuditLog.line(record)});
    }
  }
}
