package dev.portcullis.oauth.consent;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A row of {@code oauth_consents}: the scopes one user approved for one client, space-separated in
 * sorted order, and when the client was first and last approved. Changed only under its row lock
 * ({@link ConsentRecords}).
 */
@Entity
@Table(name = "oauth_consents")
@IdClass(ClientConsent.Key.class)
@NamedQuery(
    name = ClientConsent.OF_USER,
    query = "select c from ClientConsent c where c.userId = :user order by c.clientId")
@NamedQuery(
    name = ClientConsent.DELETE_ONE,
    query = "delete from ClientConsent c where c.userId = :user and c.clientId = :client")
@NamedQuery(
    name = ClientConsent.DELETE_OF_CLIENT,
    query = "delete from ClientConsent c where c.clientId = :client")
public class ClientConsent {

  static final String OF_USER = "ClientConsent.ofUser";
  static final String DELETE_ONE = "ClientConsent.deleteOne";
  static final String DELETE_OF_CLIENT = "ClientConsent.deleteOfClient";

  /** Longest client id stored (the column's length). */
  static final int CLIENT_ID_MAX = 255;

  /** Longest scope list stored, space-separated (the column's length). */
  static final int SCOPES_MAX = 1000;

  /** The composite primary key. */
  public static class Key implements Serializable {

    private static final long serialVersionUID = 1L;

    private UUID userId;
    private String clientId;

    public Key() {}

    Key(UUID userId, String clientId) {
      this.userId = userId;
      this.clientId = clientId;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Key key
          && Objects.equals(userId, key.userId)
          && Objects.equals(clientId, key.clientId);
    }

    @Override
    public int hashCode() {
      return Objects.hash(userId, clientId);
    }
  }

  @Id
  @Column(name = "user_id")
  private UUID userId;

  @Id
  @Column(name = "client_id", length = CLIENT_ID_MAX)
  private String clientId;

  @Column(nullable = false, length = SCOPES_MAX)
  private String scopes;

  @Column(name = "granted_at", nullable = false)
  private Instant grantedAt;

  @Column(name = "updated_at", nullable = false)
  private Instant updatedAt;

  protected ClientConsent() {}

  ClientConsent(UUID userId, String clientId, Set<String> scopes, Instant now) {
    this.userId = userId;
    this.clientId = clientId;
    this.scopes = join(scopes);
    this.grantedAt = now;
    this.updatedAt = now;
  }

  static Key key(UUID userId, String clientId) {
    return new Key(userId, clientId);
  }

  String clientId() {
    return clientId;
  }

  SortedSet<String> scopes() {
    return split(scopes);
  }

  Instant grantedAt() {
    return grantedAt;
  }

  /** Adds {@code more} to the approved scopes; the union must fit the column (checked before). */
  void add(Set<String> more, Instant now) {
    var union = scopes();
    union.addAll(more);
    scopes = join(union);
    updatedAt = now;
  }

  Consent toConsent() {
    return new Consent(clientId, scopes(), grantedAt);
  }

  static String join(Set<String> scopes) {
    return String.join(" ", new TreeSet<>(scopes));
  }

  static SortedSet<String> split(String scopes) {
    var set = new TreeSet<String>();
    if (scopes != null && !scopes.isBlank()) {
      set.addAll(Arrays.asList(scopes.strip().split(" +")));
    }
    return set;
  }
}
