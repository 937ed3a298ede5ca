package dev.portcullis.user;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A person or service account that can log in.
 *
 * <p>The id is stable and is the {@code sub} of every token. Username and e-mail are unique after
 * NFKC normalisation and case folding ({@link Usernames}); the typed form is kept for display. Only
 * the password's Argon2id hash (PHC string) is stored.
 */
@Entity
@Table(name = "users")
@NamedQuery(name = User.BY_ID, query = "select u from User u where u.id = :id")
@NamedQuery(name = User.BY_USERNAME_KEY, query = "select u from User u where u.usernameKey = :key")
@NamedQuery(name = User.BY_EMAIL_KEY, query = "select u from User u where u.emailKey = :key")
@NamedQuery(name = User.ALL, query = "select u from User u order by u.createdAt, u.id")
@NamedQuery(name = User.COUNT, query = "select count(u) from User u")
public class User {

  static final String BY_ID = "User.byId";
  static final String BY_USERNAME_KEY = "User.byUsernameKey";
  static final String BY_EMAIL_KEY = "User.byEmailKey";
  static final String ALL = "User.all";
  static final String COUNT = "User.count";

  public static final int USERNAME_MAX = 64;
  public static final int EMAIL_MAX = 254;

  @Id private UUID id;

  @Column(nullable = false, length = USERNAME_MAX)
  private String username;

  @Column(name = "username_key", nullable = false, length = USERNAME_MAX)
  private String usernameKey;

  @Column(length = EMAIL_MAX)
  private String email;

  @Column(name = "email_key", length = EMAIL_MAX)
  private String emailKey;

  @Column(name = "password_hash", length = 512)
  private String passwordHash;

  @Column(name = "password_change_required", nullable = false)
  private boolean passwordChangeRequired;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false, length = 16)
  private UserStatus status;

  @ElementCollection(fetch = FetchType.EAGER)
  @CollectionTable(name = "user_roles", joinColumns = @JoinColumn(name = "user_id"))
  @Column(name = "role", length = 64)
  private Set<String> roles = new TreeSet<>();

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  private Instant updatedAt;

  @Version
  @Column(name = "row_version", nullable = false)
  private long rowVersion;

  protected User() {}

  User(String username, String email, Set<String> roles, Instant now) {
    this.id = UUID.randomUUID();
    this.username = username;
    this.usernameKey = Usernames.key(username);
    this.email = email;
    this.emailKey = email == null ? null : Usernames.key(email);
    this.roles = new TreeSet<>(roles);
    this.status = UserStatus.ACTIVE;
    this.createdAt = now;
    this.updatedAt = now;
  }

  public UUID id() {
    return id;
  }

  public String username() {
    return username;
  }

  public String email() {
    return email;
  }

  public String passwordHash() {
    return passwordHash;
  }

  public boolean passwordChangeRequired() {
    return passwordChangeRequired;
  }

  public UserStatus status() {
    return status;
  }

  public boolean isActive() {
    return status == UserStatus.ACTIVE;
  }

  public Set<String> roles() {
    return Set.copyOf(roles);
  }

  public Instant createdAt() {
    return createdAt;
  }

  public Instant updatedAt() {
    return updatedAt;
  }

  /**
   * Whether this row, read again under its lock, still holds what {@code verified} held when a
   * password was verified against it: the same version (so no change at all committed since), hash
   * and status.
   */
  public boolean unchangedSince(User verified) {
    return rowVersion == verified.rowVersion
        && Objects.equals(passwordHash, verified.passwordHash)
        && status == verified.status;
  }

  void setPassword(String hash, boolean changeRequired, Instant now) {
    this.passwordHash = hash;
    this.passwordChangeRequired = changeRequired;
    this.updatedAt = now;
  }

  void rehash(String hash) {
    this.passwordHash = hash;
  }

  void setStatus(UserStatus status, Instant now) {
    this.status = status;
    this.updatedAt = now;
  }

  void setRoles(Set<String> roles, Instant now) {
    this.roles.clear();
    this.roles.addAll(roles);
    this.updatedAt = now;
  }

  /** The immutable view the authentication hot path caches. */
  public UserSnapshot snapshot() {
    return new UserSnapshot(id, username, email, status, Set.copyOf(roles));
  }
}
