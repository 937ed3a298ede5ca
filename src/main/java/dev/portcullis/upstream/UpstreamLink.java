package dev.portcullis.upstream;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code upstream_links}: a local account's link to an account at an upstream provider,
 * keyed on the provider's (issuer, subject). One (issuer, subject) belongs to one local account at
 * most (a unique constraint).
 */
@Entity
@Table(name = "upstream_links")
@NamedQuery(
    name = UpstreamLink.BY_SUBJECT,
    query = "select l from UpstreamLink l where l.issuer = :issuer and l.subject = :subject")
@NamedQuery(
    name = UpstreamLink.OF_USER,
    query = "select l from UpstreamLink l where l.userId = :user order by l.linkedAt, l.id")
public class UpstreamLink {

  static final String BY_SUBJECT = "UpstreamLink.bySubject";
  static final String OF_USER = "UpstreamLink.ofUser";

  @Id private UUID id;

  @Column(name = "user_id", nullable = false)
  private UUID userId;

  @Column(name = "provider_id", nullable = false, length = 32)
  private String providerId;

  @Column(nullable = false, length = 512)
  private String issuer;

  @Column(nullable = false, length = 255)
  private String subject;

  @Column(length = 254)
  private String email;

  @Column(name = "linked_at", nullable = false)
  private Instant linkedAt;

  @Column(name = "last_used_at")
  private Instant lastUsedAt;

  protected UpstreamLink() {}

  UpstreamLink(UUID userId, String providerId, UpstreamIdentity identity, Instant now) {
    this.id = UUID.randomUUID();
    this.userId = userId;
    this.providerId = providerId;
    this.issuer = identity.issuer();
    this.subject = identity.subject();
    this.email = identity.emailForDisplay();
    this.linkedAt = now;
    this.lastUsedAt = now;
  }

  void used(UpstreamIdentity identity, Instant now) {
    this.email = identity.emailForDisplay();
    this.lastUsedAt = now;
  }

  public UUID id() {
    return id;
  }

  public UUID userId() {
    return userId;
  }

  public String providerId() {
    return providerId;
  }

  public String issuer() {
    return issuer;
  }

  public String subject() {
    return subject;
  }

  /** The e-mail address the provider gave at the last sign-in, for display; may be null. */
  public String email() {
    return email;
  }

  public Instant linkedAt() {
    return linkedAt;
  }

  public Instant lastUsedAt() {
    return lastUsedAt;
  }
}
