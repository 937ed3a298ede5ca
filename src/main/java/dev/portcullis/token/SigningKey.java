package dev.portcullis.token;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A token-signing key pair as stored: the public JWK in clear, the private key (PKCS#8) sealed by
 * the {@link MasterKey} with the kid as associated data. Each key is bound to one algorithm.
 *
 * <p>A key signs from {@code activatesAt} until the next key of its algorithm activates, and stays
 * published until every token it signed has expired; {@code revokedAt} withdraws it at once.
 */
@Entity
@Table(name = "signing_keys")
@NamedQuery(
    name = SigningKey.UNREVOKED,
    query = "select k from SigningKey k where k.revokedAt is null order by k.activatesAt")
@NamedQuery(name = SigningKey.ALL, query = "select k from SigningKey k order by k.activatesAt")
public class SigningKey {

  static final String UNREVOKED = "SigningKey.unrevoked";
  static final String ALL = "SigningKey.all";

  @Id
  @Column(length = 64)
  private String kid;

  @Column(nullable = false, length = 8)
  private String algorithm;

  @Column(name = "public_jwk", nullable = false, length = 4000)
  private String publicJwk;

  @Column(name = "private_key", nullable = false, length = 8000)
  private String privateKey;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "activates_at", nullable = false)
  private Instant activatesAt;

  @Column(name = "revoked_at")
  private Instant revokedAt;

  protected SigningKey() {}

  SigningKey(
      String kid,
      String algorithm,
      String publicJwk,
      String sealedPrivateKey,
      Instant createdAt,
      Instant activatesAt) {
    this.kid = kid;
    this.algorithm = algorithm;
    this.publicJwk = publicJwk;
    this.privateKey = sealedPrivateKey;
    this.createdAt = createdAt;
    this.activatesAt = activatesAt;
  }

  public String kid() {
    return kid;
  }

  public String algorithm() {
    return algorithm;
  }

  String publicJwk() {
    return publicJwk;
  }

  String sealedPrivateKey() {
    return privateKey;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public Instant activatesAt() {
    return activatesAt;
  }

  public Instant revokedAt() {
    return revokedAt;
  }

  void revoke(Instant now) {
    this.revokedAt = now;
  }
}
