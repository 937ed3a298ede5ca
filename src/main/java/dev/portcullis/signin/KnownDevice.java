package dev.portcullis.signin;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A device that logged in to an account successfully: the SHA-256 of the {@code
 * __Host-portcullis-device} value the server issued it, never the value itself, and the wrong
 * passwords it has sent since ({@link KnownDevices}). One cookie may be known for several accounts
 * (a shared browser), one row each.
 */
@Entity
@Table(name = "known_devices")
@IdClass(KnownDevice.Key.class)
@NamedQuery(
    name = KnownDevice.DELETE_OF_USER,
    query = "delete from KnownDevice d where d.userId = :user")
@NamedQuery(
    name = KnownDevice.DELETE_ONE,
    query = "delete from KnownDevice d where d.tokenHash = :hash and d.userId = :user")
public class KnownDevice {

  static final String DELETE_OF_USER = "KnownDevice.deleteOfUser";
  static final String DELETE_ONE = "KnownDevice.deleteOne";

  /** The composite primary key. */
  public static class Key implements Serializable {

    private static final long serialVersionUID = 1L;

    private String tokenHash;
    private UUID userId;

    public Key() {}

    Key(String tokenHash, UUID userId) {
      this.tokenHash = tokenHash;
      this.userId = userId;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Key key
          && Objects.equals(tokenHash, key.tokenHash)
          && Objects.equals(userId, key.userId);
    }

    @Override
    public int hashCode() {
      return Objects.hash(tokenHash, userId);
    }
  }

  @Id
  @Column(name = "token_hash", length = 64)
  private String tokenHash;

  @Id
  @Column(name = "user_id")
  private UUID userId;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "last_used_at", nullable = false)
  private Instant lastUsedAt;

  @Column(nullable = false)
  private int failures;

  @Column(name = "last_failure_at")
  private Instant lastFailureAt;

  protected KnownDevice() {}

  KnownDevice(String tokenHash, UUID userId, Instant now) {
    this.tokenHash = tokenHash;
    this.userId = userId;
    this.createdAt = now;
    this.lastUsedAt = now;
  }

  Instant lastUsedAt() {
    return lastUsedAt;
  }

  int failures() {
    return failures;
  }

  Instant lastFailureAt() {
    return lastFailureAt;
  }

  void failed(int failures, Instant now) {
    this.failures = failures;
    this.lastFailureAt = now;
  }
}
