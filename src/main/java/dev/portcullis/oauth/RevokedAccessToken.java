package dev.portcullis.oauth;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * An access token revoked through {@code /oauth2/revoke} that has no refresh-token family to revoke
 * instead (client credentials), kept until it would have expired.
 */
@Entity
@Table(name = "oauth_revoked_access_tokens")
public class RevokedAccessToken {

  @Id
  @Column(name = "jti", length = 64)
  private String jti;

  @Column(name = "expires_at", nullable = false)
  private Instant expiresAt;

  protected RevokedAccessToken() {}

  RevokedAccessToken(String jti, Instant expiresAt) {
    this.jti = jti;
    this.expiresAt = expiresAt;
  }
}
