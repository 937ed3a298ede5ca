package dev.portcullis.audit;

import dev.portcullis.web.ClientInfo;

/**
 * What to record about one event.
 *
 * @param type what happened
 * @param outcome success or failure
 * @param reason a stable reason code for failures ({@code WRONG_PASSWORD}, {@code REUSE}, …)
 * @param subject the user id or key id the event is about
 * @param actor who caused it (a user id, or {@code system})
 * @param client where the request came from; may be null for scheduled work
 * @param detail non-secret details (before/after of non-secret fields)
 */
public record AuditRecord(
    AuditEventType type,
    Outcome outcome,
    String reason,
    String subject,
    String actor,
    ClientInfo client,
    String detail) {

  /** Whether the audited attempt succeeded. */
  public enum Outcome {
    SUCCESS,
    FAILURE
  }

  public static AuditRecord success(AuditEventType type, String subject, ClientInfo client) {
    return new AuditRecord(type, Outcome.SUCCESS, null, subject, subject, client, null);
  }

  public static AuditRecord failure(
      AuditEventType type, String reason, String subject, ClientInfo client) {
    return new AuditRecord(type, Outcome.FAILURE, reason, subject, subject, client, null);
  }

  public AuditRecord by(String newActor) {
    return new AuditRecord(type, outcome, reason, subject, newActor, client, detail);
  }

  public AuditRecord withDetail(String newDetail) {
    return new AuditRecord(type, outcome, reason, subject, actor, client, newDetail);
  }
}
