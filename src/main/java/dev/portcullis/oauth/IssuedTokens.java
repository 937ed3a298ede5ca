package dev.portcullis.oauth;

import dev.portcullis.oauth.client.ClientRegistry;
import dev.portcullis.token.RefreshTokens;
import dev.portcullis.token.SignedTokens;
import dev.portcullis.user.UserSnapshot;
import dev.portcullis.user.UserSnapshots;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;

/**
 * Whether an access token this server issued is still active (RFC 7662 2.2), for introspection,
 * userinfo and revocation: signature and expiry ({@link SignedTokens}), its family not revoked
 * (logout, reuse, replayed code, consent revoked, client deleted, password change, disable — read
 * from the database, not a cache), its user active, its client still registered, and not revoked by
 * itself ({@link RevokedAccessToken}).
 */
@ApplicationScoped
public class IssuedTokens {

  /** The first-party {@code client_id} of tokens from {@code /api/v1/auth/login}. */
  static final String FIRST_PARTY = "portcullis";

  @PersistenceContext EntityManager em;

  @Inject SignedTokens signed;
  @Inject RefreshTokens refreshTokens;
  @Inject UserSnapshots users;
  @Inject ClientRegistry clients;
  @Inject java.time.Clock clock;

  /** An active access token: its claims, and its user unless it is a client's own token. */
  public record Active(JwtClaims claims, String clientId, UserSnapshot user) {}

  @Transactional
  public Optional<Active> active(String token) {
    var verified = signed.verifyAccessToken(token);
    if (verified.isEmpty()) {
      return Optional.empty();
    }
    var claims = verified.get();
    try {
      String clientId = claims.getStringClaimValue("client_id");
      String sid = claims.getStringClaimValue("sid");
      if (clientId == null
          || (!FIRST_PARTY.equals(clientId) && clients.find(clientId).isEmpty())
          || (sid != null && !refreshTokens.isLive(sid))
          || em.find(RevokedAccessToken.class, claims.getJwtId()) != null) {
        return Optional.empty();
      }
      if (claims.getSubject().equals(clientId) && sid == null) {
        return Optional.of(new Active(claims, clientId, null));
      }
      var user = users.get(UUID.fromString(claims.getSubject())).filter(UserSnapshot::isActive);
      return user.map(u -> new Active(claims, clientId, u));
    } catch (MalformedClaimException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Forgets revoked tokens that have expired anyway. */
  @Transactional
  public int purgeExpired() {
    return em.createQuery("delete from RevokedAccessToken r where r.expiresAt < :now")
        .setParameter("now", clock.instant())
        .executeUpdate();
  }

  /** Revokes a token without a family until it expires. */
  @Transactional
  public void revokeAlone(String jti, Instant expiresAt) {
    if (em.find(RevokedAccessToken.class, jti) == null) {
      em.persist(new RevokedAccessToken(jti, expiresAt));
    }
  }
}
