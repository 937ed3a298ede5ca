package dev.portcullis.audit;

import java.time.Instant;

/**
 * Which audit events to list; a null field does not filter.
 *
 * @param since inclusive lower bound on the event time
 * @param until exclusive upper bound on the event time
 */
public record AuditQuery(
    AuditEventType type,
    String subject,
    AuditRecord.Outcome outcome,
    Instant since,
    Instant until) {}
