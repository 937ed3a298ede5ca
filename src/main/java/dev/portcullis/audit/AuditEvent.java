package dev.portcullis.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One authentication outcome or administrative change, as stored in {@code audit_events}. Holds
 * identifiers and reason codes only: never a password, token, key or cookie value.
 */
@Entity
@Table(name = "audit_events")
public class AuditEvent {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Column(name = "occurred_at", nullable = false)
  private Instant occurredAt;

  @Column(name = "event_type", nullable = false, length = 48)
  private String type;

  @Column(nullable = false, length = 16)
  private String outcome;

  @Column(length = 64)
  private String reason;

  @Column(length = 128)
  private String subject;

  @Column(length = 128)
  private String actor;

  @Column(name = "client_ip", length = 64)
  private String clientIp;

  @Column(name = "user_agent", length = 256)
  private String userAgent;

  @Column(length = 1024)
  private String detail;

  protected AuditEvent() {}

  AuditEvent(Instant occurredAt, AuditRecord record) {
    this.occurredAt = occurredAt;
    this.type = record.type().name();
    this.outcome = record.outcome().name();
    this.reason = clip(record.reason(), 64);
    this.subject = clip(record.subject(), 128);
    this.actor = clip(record.actor(), 128);
    this.clientIp = clip(record.client() == null ? null : record.client().ip(), 64);
    this.userAgent = clip(record.client() == null ? null : record.client().userAgent(), 256);
    this.detail = clip(record.detail(), 1024);
  }

  private static String clip(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max);
  }

  public Long id() {
    return id;
  }

  public Instant occurredAt() {
    return occurredAt;
  }

  public String type() {
    return type;
  }

  public String outcome() {
    return outcome;
  }

  public String reason() {
    return reason;
  }

  public String subject() {
    return subject;
  }
}
