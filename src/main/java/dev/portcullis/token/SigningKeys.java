package dev.portcullis.token;

import dev.portcullis.audit.AuditEventType;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.cluster.Change;
import dev.portcullis.cluster.ChangeKind;
import dev.portcullis.cluster.StaleEntries;
import dev.portcullis.config.Settings;
import dev.portcullis.problem.ProblemException;
import dev.portcullis.web.ClientInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/**
 * Owns the token-signing keys: generates them (jose4j), seals their private parts with the {@link
 * MasterKey}, rotates them on schedule, rotates or revokes them on an administrator's request, and
 * serves the current {@link KeyRing} from memory.
 *
 * <p>RSA keys are 2048 bits (PS256, RS256); EC keys P-256 (ES256). The ring is rebuilt after every
 * change and at every scheduled maintenance, so a revoked key stops verifying at once on this node;
 * every creation and revocation is also published as a {@link Change}, which the {@link
 * dev.portcullis.cluster.ChangeFeed} carries to the other nodes, which rebuild their ring within a
 * second — a revoked key stops verifying, and a key rotated in signs, everywhere. Thread-safe.
 */
@ApplicationScoped
public class SigningKeys implements KeyRingSource {

  private static final Logger LOG = Logger.getLogger(SigningKeys.class.getName());

  @PersistenceContext EntityManager em;

  @Inject MasterKey masterKey;
  @Inject Settings settings;
  @Inject Clock clock;
  @Inject AuditLog audit;
  @Inject Event<Change> changes;

  private volatile KeyRing ring;

  @Override
  public KeyRing current() {
    var snapshot = ring;
    return snapshot != null ? snapshot : KeyRing.empty(settings.maxTokenLifetime());
  }

  /**
   * The algorithms Portcullis signs with: the access-token algorithm and RS256, which OpenID
   * Connect requires for ID tokens and MicroProfile JWT verifiers need for {@code mp-jwt} access
   * tokens (SPEC 3.4, 3.6). Each has its own key.
   */
  Set<String> algorithms() {
    return Set.of(settings.tokenAlgorithm(), SignedTokens.ID_TOKEN_ALGORITHM);
  }

  /**
   * Scheduled (and at start-up): loads the keys, creates any key the rotation policy asks for, and
   * deletes keys that no token can need any more.
   */
  @Transactional
  public void maintain() {
    reload();
    var policy = new KeyRotationPolicy(settings.keyRotationPeriod(), settings.keyPublishLead());
    Instant now = clock.instant();
    for (String algorithm : algorithms()) {
      policy.nextActivation(ring, algorithm, now).ifPresent(at -> create(algorithm, at, "system"));
    }
    for (var expired : ring.expired(now)) {
      var row = em.find(SigningKey.class, expired.kid());
      if (row != null) {
        em.remove(row);
        LOG.info(() -> "Deleted signing key " + expired.kid() + ": no unexpired token needs it");
      }
    }
    reload();
  }

  /**
   * The emergency path: a new key signs from now for every algorithm; the previous ones stay
   * published. Returns the new access-token key.
   */
  @Transactional
  public String rotateNow(String actor, ClientInfo client) {
    Instant now = clock.instant();
    String kid = create(settings.tokenAlgorithm(), now, actor);
    audit.record(AuditRecord.success(AuditEventType.SIGNING_KEY_ROTATED, kid, client).by(actor));
    for (String algorithm : algorithms()) {
      if (!algorithm.equals(settings.tokenAlgorithm())) {
        String other = create(algorithm, now, actor);
        audit.record(
            AuditRecord.success(AuditEventType.SIGNING_KEY_ROTATED, other, client).by(actor));
      }
    }
    reload();
    return kid;
  }

  /** Withdraws a compromised key at once: every token it signed stops verifying. */
  @Transactional
  public void revoke(String kid, String actor, ClientInfo client) {
    var key = kid == null || kid.length() > 64 ? null : em.find(SigningKey.class, kid);
    if (key == null || key.revokedAt() != null) {
      throw ProblemException.notFound("Signing key");
    }
    Instant now = clock.instant();
    boolean wasSigning =
        current().signingKey(key.algorithm(), now).map(e -> e.kid().equals(kid)).orElse(false);
    key.revoke(now);
    em.flush();
    changes.fire(Change.of(ChangeKind.SIGNING_KEY, kid));
    if (wasSigning) {
      create(key.algorithm(), now, actor);
    }
    audit.record(AuditRecord.success(AuditEventType.SIGNING_KEY_REVOKED, kid, client).by(actor));
    reload();
  }

  /**
   * Rebuilds the ring when another node (or this one) created or revoked a key, or when changes may
   * have been missed; runs in the feed reader's transaction.
   */
  void onStale(@Observes StaleEntries stale) {
    if (stale.everything() || !stale.keysOf(ChangeKind.SIGNING_KEY).isEmpty()) {
      reload();
    }
  }

  /** Every stored key, for the admin API. */
  @Transactional
  public List<SigningKey> all() {
    return em.createNamedQuery(SigningKey.ALL, SigningKey.class).getResultList();
  }

  /** The JWKS document: public parts of every published key. */
  public String jwks() {
    var keys = new ArrayList<JsonWebKey>();
    for (var entry : current().published(clock.instant())) {
      keys.add(entry.jwk());
    }
    return new JsonWebKeySet(keys).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
  }

  private String create(String algorithm, Instant activatesAt, String actor) {
    try {
      PublicJsonWebKey jwk =
          switch (algorithm) {
            case "ES256" -> EcJwkGenerator.generateJwk(EllipticCurves.P256);
            default -> RsaJwkGenerator.generateJwk(2048);
          };
      String kid = jwk.calculateBase64urlEncodedThumbprint("SHA-256");
      jwk.setKeyId(kid);
      jwk.setAlgorithm(algorithm);
      jwk.setUse("sig");
      String sealed = masterKey.encrypt(jwk.getPrivateKey().getEncoded(), kid);
      em.persist(
          new SigningKey(
              kid,
              algorithm,
              jwk.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY),
              sealed,
              clock.instant(),
              activatesAt));
      em.flush();
      changes.fire(Change.of(ChangeKind.SIGNING_KEY, kid));
      audit.record(
          AuditRecord.success(AuditEventType.SIGNING_KEY_CREATED, kid, ClientInfo.SYSTEM)
              .by(actor)
              .withDetail("alg=" + algorithm + " activates_at=" + activatesAt));
      LOG.info(
          () -> "Created " + algorithm + " signing key " + kid + ", signing from " + activatesAt);
      return kid;
    } catch (JoseException e) {
      throw new IllegalStateException("Cannot generate a signing key", e);
    }
  }

  private void reload() {
    var entries = new ArrayList<KeyRing.Entry>();
    for (var row : em.createNamedQuery(SigningKey.UNREVOKED, SigningKey.class).getResultList()) {
      entries.add(
          new KeyRing.Entry(row.kid(), row.algorithm(), open(row), row.activatesAt(), null));
    }
    ring = new KeyRing(entries, settings.maxTokenLifetime());
  }

  private PublicJsonWebKey open(SigningKey row) {
    try {
      var jwk = PublicJsonWebKey.Factory.newPublicJwk(row.publicJwk());
      byte[] pkcs8 = masterKey.decrypt(row.sealedPrivateKey(), row.kid());
      String family = "ES256".equals(row.algorithm()) ? "EC" : "RSA";
      jwk.setPrivateKey(
          KeyFactory.getInstance(family).generatePrivate(new PKCS8EncodedKeySpec(pkcs8)));
      return jwk;
    } catch (JoseException | GeneralSecurityException e) {
      throw new IllegalStateException("Stored signing key " + row.kid() + " is unreadable", e);
    }
  }
}
