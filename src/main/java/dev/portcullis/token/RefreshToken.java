package dev.portcullis.token;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * One refresh token of a {@link RefreshFamily}, stored as the SHA-256 of its 256-bit random value.
 * It is spent by the single conditional update that rotates it, so two concurrent refreshes of one
 * token cannot both succeed.
 */
@Entity
@Table(name = "refresh_tokens")
@NamedQuery(
    name = RefreshToken.WITH_FAMILY_BY_HASH,
    query =
        "select t, f from RefreshToken t, RefreshFamily f"
            + " where t.tokenHash = :hash and f.id = t.familyId")
@NamedQuery(
    name = RefreshToken.SPEND,
    query = "update RefreshToken t set t.spentAt = :now where t.id = :id and t.spentAt is null")
public class RefreshToken {

  static final String WITH_FAMILY_BY_HASH = "RefreshToken.withFamilyByHash";
  static final String SPEND = "RefreshToken.spend";

  @Id private UUID id;

  @Column(name = "family_id", nullable = false)
  private UUID familyId;

  @Column(name = "token_hash", nullable = false, length = 64)
  private String tokenHash;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "expires_at", nullable = false)
  private Instant expiresAt;

  @Column(name = "spent_at", updatable = false)
  private Instant spentAt;

  protected RefreshToken() {}

  RefreshToken(UUID familyId, String tokenHash, Instant now, Instant expiresAt) {
    this.id = UUID.randomUUID();
    this.familyId = familyId;
    this.tokenHash = tokenHash;
    this.createdAt = now;
    this.expiresAt = expiresAt;
  }

  public UUID id() {
    return id;
  }

  public UUID familyId() {
    return familyId;
  }

  public Instant expiresAt() {
    return expiresAt;
  }

  public boolean isSpent() {
    return spentAt != null;
  }
}
