package dev.portcullis.oauth;

import dev.portcullis.audit.AuditEventType;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.caller.AuthMethod;
import dev.portcullis.database.DatabaseFailures;
import dev.portcullis.oauth.client.RegisteredClient;
import dev.portcullis.secret.OpaqueTokens;
import dev.portcullis.session.SessionRecord;
import dev.portcullis.session.SessionService;
import dev.portcullis.token.ClientGrant;
import dev.portcullis.token.RefreshTokens;
import dev.portcullis.web.ClientInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Authorization codes (RFC 6749 4.1, RFC 7636, RFC 9700 4.5): 256-bit random values stored as
 * SHA-256 hashes, valid for {@link #LIFETIME}, redeemable once by the client they were issued to,
 * with the redirect URI of the request and the PKCE verifier of its challenge.
 *
 * <p>Redemption is one conditional update, so of two concurrent redemptions one wins. A code
 * presented after it was redeemed revokes the refresh-token family the first redemption started —
 * and with it every access token issued from it ({@code sid}) — and is audited {@code
 * AUTHORIZATION_CODE_REUSED}. A presentation that fails a check (wrong client, redirect URI or
 * verifier) spends nothing: a thief without the verifier cannot burn the legitimate client's code.
 */
@ApplicationScoped
public class AuthorizationCodes {

  /** How long a code may be redeemed (RFC 6749 4.1.2 recommends at most 10 minutes). */
  static final Duration LIFETIME = Duration.ofSeconds(60);

  private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");

  @PersistenceContext EntityManager em;

  @Inject Clock clock;
  @Inject RefreshTokens refreshTokens;
  @Inject SessionService sessions;
  @Inject AuditLog audit;

  /** The outcome of presenting a code. */
  public sealed interface Redemption {
    /** Redeemed: the code's grant and the refresh-token family it started. */
    record Granted(AuthorizationCode code, RefreshTokens.Issued family) implements Redemption {}

    /** Refused with {@code invalid_grant}; {@code description} is fixed text. */
    record Refused(String description) implements Redemption {}
  }

  /** Stores a new code for an approved request and returns its value (shown once, in the URL). */
  @Transactional
  public String issue(
      AuthorizationRequest request, UUID userId, UUID loginSessionId, Instant authTime) {
    String value = OpaqueTokens.random();
    Instant now = clock.instant();
    em.persist(
        new AuthorizationCode(
            OpaqueTokens.sha256(value),
            request,
            userId,
            loginSessionId,
            authTime,
            now,
            now.plus(LIFETIME)));
    return value;
  }

  /**
   * Redeems {@code value} for {@code client}; the family of a granted code is started in the same
   * transaction, so a code is never spent without what it grants.
   *
   * @param redirectUri the token request's {@code redirect_uri}
   * @param verifier the token request's {@code code_verifier}, or null
   * @param stillGranted whether what the code was issued on still holds: its user active, its
   *     browser session not ended (logout, password change), the user's consent not revoked —
   *     checked by the caller, in this transaction, before the code is spent
   */
  @Transactional
  public Redemption redeem(
      String value,
      RegisteredClient client,
      String redirectUri,
      String verifier,
      java.util.function.Predicate<AuthorizationCode> stillGranted,
      ClientInfo info) {
    if (value == null || value.length() > 128) {
      return refused("The authorization code is not valid");
    }
    String hash = OpaqueTokens.sha256(value);
    var code = em.find(AuthorizationCode.class, hash);
    if (code == null || !code.clientId().equals(client.clientId())) {
      return refused("The authorization code is not valid");
    }
    Instant now = clock.instant();
    if (code.isRedeemed()) {
      return replayed(hash, code, info);
    }
    if (!now.isBefore(code.expiresAt())) {
      return refused("The authorization code has expired");
    }
    if (!code.redirectUri().equals(redirectUri)) {
      return refused("redirect_uri differs from the authorization request's");
    }
    if (code.codeChallenge() == null ? verifier != null : !verifies(verifier, code)) {
      return refused("The PKCE code_verifier does not match the code_challenge");
    }
    if (!stillGranted.test(code)) {
      return refused("The authorization code is not valid");
    }
    int redeemed;
    try {
      redeemed =
          em.createNamedQuery(AuthorizationCode.REDEEM)
              .setParameter("now", now)
              .setParameter("hash", hash)
              .executeUpdate();
    } catch (PersistenceException e) {
      if (DatabaseFailures.isUnavailable(e)) {
        throw e;
      }
      // H2 refuses an update of a row a concurrent redemption holds: that one wins
      return refused("The authorization code was redeemed concurrently");
    }
    if (redeemed == 0) {
      return replayed(hash, code, info);
    }
    String authMethod =
        sessions
            .find(code.loginSessionId())
            .map(SessionRecord::authMethod)
            .orElse(AuthMethod.SESSION.wireName());
    var grant =
        new ClientGrant(
            code.clientId(), code.scope(), code.authTime(), code.loginSessionId(), authMethod);
    var family =
        refreshTokens.startClientFamily(
            code.userId(), info, authMethod, grant, client.refreshTokenTtl().orElse(null));
    em.createNamedQuery(AuthorizationCode.SET_FAMILY)
        .setParameter("family", UUID.fromString(family.familyId()))
        .setParameter("hash", hash)
        .executeUpdate();
    return new Redemption.Granted(code, family);
  }

  /** Deletes codes that expired more than a day ago (kept that long to recognise replays). */
  @Transactional
  public int deleteExpired() {
    return em.createNamedQuery(AuthorizationCode.DELETE_EXPIRED)
        .setParameter("before", clock.instant().minus(Duration.ofDays(1)))
        .executeUpdate();
  }

  private Redemption replayed(String hash, AuthorizationCode code, ClientInfo info) {
    var family =
        em.createNamedQuery(AuthorizationCode.FAMILY_OF, UUID.class)
            .setParameter("hash", hash)
            .getResultStream()
            .findFirst();
    family.ifPresent(id -> refreshTokens.revokeFamily(id.toString(), "CODE_REUSED"));
    audit.record(
        AuditRecord.failure(
                AuditEventType.AUTHORIZATION_CODE_REUSED,
                "CODE_REUSED",
                code.userId().toString(),
                info)
            .withDetail(
                "client_id=" + code.clientId() + family.map(id -> " sid=" + id).orElse("")));
    return refused("The authorization code was already used; what it issued is revoked");
  }

  private static boolean verifies(String verifier, AuthorizationCode code) {
    if (verifier == null || !VERIFIER.matcher(verifier).matches()) {
      return false;
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      String computed = Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
      return MessageDigest.isEqual(
          computed.getBytes(StandardCharsets.US_ASCII),
          code.codeChallenge().getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Redemption refused(String description) {
    return new Redemption.Refused(description);
  }
}
