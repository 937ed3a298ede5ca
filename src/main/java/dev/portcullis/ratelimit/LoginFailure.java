package dev.portcullis.ratelimit;

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
 * An account's consecutive password failures and current lock ({@link LockoutPolicy}) from one
 * client network ({@link RateLimits#networkKey}). No row means no failures from that network.
 */
@Entity
@Table(name = "login_failures")
@IdClass(LoginFailure.Key.class)
@NamedQuery(
    name = LoginFailure.LOCKED_OF_USER,
    query = "select count(f) from LoginFailure f where f.userId = :user and f.lockedUntil > :now")
@NamedQuery(
    name = LoginFailure.DELETE_OF_USER,
    query = "delete from LoginFailure f where f.userId = :user")
public class LoginFailure {

  static final String LOCKED_OF_USER = "LoginFailure.lockedOfUser";
  static final String DELETE_OF_USER = "LoginFailure.deleteOfUser";

  /** Longest network key: an IPv6 /64 is 20 characters, anything longer is cut. */
  static final int NETWORK_MAX = 64;

  /** The composite primary key. */
  public static class Key implements Serializable {

    private static final long serialVersionUID = 1L;

    private UUID userId;
    private String network;

    public Key() {}

    Key(UUID userId, String network) {
      this.userId = userId;
      this.network = network;
    }

    String network() {
      return network;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Key key
          && Objects.equals(userId, key.userId)
          && Objects.equals(network, key.network);
    }

    @Override
    public int hashCode() {
      return Objects.hash(userId, network);
    }
  }

  @Id
  @Column(name = "user_id")
  private UUID userId;

  @Id
  @Column(name = "network", length = NETWORK_MAX)
  private String network;

  @Column(nullable = false)
  private int failures;

  @Column(name = "last_failure_at", nullable = false)
  private Instant lastFailureAt;

  @Column(name = "locked_until")
  private Instant lockedUntil;

  protected LoginFailure() {}

  LoginFailure(Key key) {
    this.userId = key.userId;
    this.network = key.network;
  }

  /** The key of an account's row for {@code network}, cut to the column's length. */
  static Key key(UUID userId, String network) {
    return new Key(
        userId, network.length() > NETWORK_MAX ? network.substring(0, NETWORK_MAX) : network);
  }

  LockoutPolicy.State state() {
    return new LockoutPolicy.State(failures, lastFailureAt, lockedUntil);
  }

  void set(LockoutPolicy.State state) {
    this.failures = state.failures();
    this.lastFailureAt = state.lastFailureAt();
    this.lockedUntil = state.lockedUntil();
  }
}
