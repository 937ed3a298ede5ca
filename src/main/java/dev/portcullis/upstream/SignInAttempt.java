package dev.portcullis.upstream;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code upstream_sign_in_attempts}: one sign-in or link between the redirect to the
 * provider and its callback, found by the SHA-256 of its {@code state}. Never changed; deleted when
 * redeemed or expired.
 */
@Entity
@Table(name = "upstream_sign_in_attempts")
public class SignInAttempt {

  @Id
  @Column(name = "state_hash", length = 64)
  private String stateHash;

  @Column(name = "browser_hash", nullable = false, length = 64)
  private String browserHash;

  @Column(name = "provider_id", nullable = false, length = 32)
  private String providerId;

  @Column(nullable = false, length = 64)
  private String nonce;

  @Column(name = "code_verifier", nullable = false, length = 128)
  private String codeVerifier;

  @Column(name = "redirect_uri", nullable = false, length = 600)
  private String redirectUri;

  @Column(name = "next_target", length = 4096)
  private String nextTarget;

  @Column(name = "link_user_id")
  private UUID linkUserId;

  @Column(name = "link_session_id")
  private UUID linkSessionId;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "expires_at", nullable = false)
  private Instant expiresAt;

  protected SignInAttempt() {}

  SignInAttempt(
      String stateHash,
      String browserHash,
      String providerId,
      String nonce,
      String codeVerifier,
      String redirectUri,
      String nextTarget,
      UUID linkUserId,
      UUID linkSessionId,
      Instant createdAt,
      Instant expiresAt) {
    this.stateHash = stateHash;
    this.browserHash = browserHash;
    this.providerId = providerId;
    this.nonce = nonce;
    this.codeVerifier = codeVerifier;
    this.redirectUri = redirectUri;
    this.nextTarget = nextTarget;
    this.linkUserId = linkUserId;
    this.linkSessionId = linkSessionId;
    this.createdAt = createdAt;
    this.expiresAt = expiresAt;
  }

  String browserHash() {
    return browserHash;
  }

  String providerId() {
    return providerId;
  }

  String nonce() {
    return nonce;
  }

  String codeVerifier() {
    return codeVerifier;
  }

  String redirectUri() {
    return redirectUri;
  }

  /** Where to send the browser after a sign-in (a local target), or null. */
  String nextTarget() {
    return nextTarget;
  }

  /** The user linking a provider, or null for a sign-in. */
  UUID linkUserId() {
    return linkUserId;
  }

  /** The browser session the link was started from, or null for a sign-in. */
  UUID linkSessionId() {
    return linkSessionId;
  }

  Instant expiresAt() {
    return expiresAt;
  }
}
