package dev.portcullis.oauth;

import dev.portcullis.config.Settings;
import dev.portcullis.oauth.client.AccessTokenProfile;
import dev.portcullis.oauth.client.RegisteredClient;
import dev.portcullis.token.ClientGrant;
import dev.portcullis.token.SignedTokens;
import dev.portcullis.user.UserSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;

/**
 * Builds the JWTs issued to OAuth clients (SPEC 3.4, 3.6).
 *
 * <p>Access tokens: {@code iss}, {@code sub} (the user id, or the client id for client
 * credentials), {@code aud} = the client id, {@code exp}, {@code iat}, {@code nbf}, {@code jti},
 * {@code scope}, {@code client_id}, {@code sid} (the refresh-token family, whose revocation ends
 * them), {@code upn}, the roles as {@code groups} and {@code roles} (RFC 9068 2.2.3.1: MicroProfile
 * JWT reads the first, WildFly's OIDC client the second). Profile {@code rfc9068}: {@code typ:
 * at+jwt}, the server's algorithm; profile {@code mp-jwt}: {@code typ: JWT}, RS256. Their audience
 * is never Portcullis' own, so Portcullis' API refuses them.
 *
 * <p>ID tokens (RS256, no {@code typ}; see {@link SignedTokens}): {@code iss}, {@code sub}, {@code
 * aud}, {@code azp}, {@code exp}, {@code iat}, {@code auth_time}, {@code nonce} when the request
 * had one, {@code at_hash}, {@code sid} (the browser session), {@code acr} {@code "1"} (one factor)
 * and {@code amr} {@code ["pwd"]} (a password) or {@code ["fed"]} (an upstream provider), and only
 * the claims of granted scopes: {@code profile} → {@code name}, {@code preferred_username}; {@code
 * email} → {@code email}, {@code email_verified} (false: Portcullis does not verify addresses);
 * {@code groups} → {@code groups}.
 */
@ApplicationScoped
public class ClientTokens {

  private final SecureRandom random = new SecureRandom();

  @Inject Settings settings;
  @Inject Clock clock;
  @Inject SignedTokens signer;

  /** A signed access token and when it expires. */
  public record Issued(String value, Instant expiresAt) {
    @Override
    public String toString() {
      return "Issued[redacted, expires " + expiresAt + "]";
    }
  }

  /** An access token for a user, from an authorization code or a refresh. */
  public Issued forUser(
      RegisteredClient client, UserSnapshot user, Set<String> scopes, String familyId) {
    return sign(client, user.id().toString(), user.username(), user.roles(), scopes, familyId);
  }

  /** An access token for the client itself (client credentials): its registered roles. */
  public Issued forClient(RegisteredClient client, Set<String> scopes) {
    return sign(client, client.clientId(), client.clientId(), client.roles(), scopes, null);
  }

  private Issued sign(
      RegisteredClient client,
      String subject,
      String upn,
      Set<String> groups,
      Set<String> scopes,
      String familyId) {
    Instant now = clock.instant();
    Instant expires = now.plus(accessTokenTtl(client));
    var claims = new JwtClaims();
    claims.setIssuer(settings.issuer());
    claims.setSubject(subject);
    claims.setAudience(client.clientId());
    claims.setExpirationTime(NumericDate.fromMilliseconds(expires.toEpochMilli()));
    claims.setIssuedAt(NumericDate.fromMilliseconds(now.toEpochMilli()));
    claims.setNotBefore(NumericDate.fromMilliseconds(now.toEpochMilli()));
    claims.setJwtId(randomId());
    claims.setClaim("scope", Scopes.format(scopes));
    claims.setClaim("client_id", client.clientId());
    if (familyId != null) {
      claims.setClaim("sid", familyId);
    }
    claims.setClaim("upn", upn);
    claims.setStringListClaim("groups", List.copyOf(new TreeSet<>(groups)));
    // RFC 9068 2.2.3.1 names both; WildFly's OIDC client reads roles, MicroProfile JWT groups
    claims.setStringListClaim("roles", List.copyOf(new TreeSet<>(groups)));
    boolean mpJwt = client.accessTokenProfile() == AccessTokenProfile.MP_JWT;
    String value =
        signer.sign(
            claims,
            mpJwt ? SignedTokens.ID_TOKEN_ALGORITHM : settings.tokenAlgorithm(),
            mpJwt ? SignedTokens.MP_JWT_TYPE : SignedTokens.ACCESS_TOKEN_TYPE);
    return new Issued(value, expires);
  }

  /** The client's access-token lifetime: its own if registered, never above the server's. */
  Duration accessTokenTtl(RegisteredClient client) {
    var own = client.accessTokenTtl().orElse(settings.accessTokenTtl());
    return own.compareTo(settings.accessTokenTtl()) > 0 ? settings.accessTokenTtl() : own;
  }

  /**
   * An ID token.
   *
   * @param nonce the authorization request's nonce, or null (refresh)
   * @param grant what the user granted: {@code auth_time}, the browser session ({@code sid}) and
   *     how it was established ({@code amr})
   */
  public String idToken(
      RegisteredClient client,
      UserSnapshot user,
      Set<String> scopes,
      String nonce,
      ClientGrant grant,
      String accessToken) {
    Instant authTime = grant.authTime();
    String loginSessionId =
        grant.loginSessionId() == null ? null : grant.loginSessionId().toString();
    Instant now = clock.instant();
    var claims = new JwtClaims();
    claims.setIssuer(settings.issuer());
    claims.setSubject(user.id().toString());
    claims.setAudience(client.clientId());
    claims.setClaim("azp", client.clientId());
    claims.setExpirationTime(
        NumericDate.fromMilliseconds(now.plus(accessTokenTtl(client)).toEpochMilli()));
    claims.setIssuedAt(NumericDate.fromMilliseconds(now.toEpochMilli()));
    claims.setClaim("auth_time", authTime.getEpochSecond());
    if (nonce != null) {
      claims.setClaim("nonce", nonce);
    }
    claims.setClaim("at_hash", leftHalfHash(accessToken));
    if (loginSessionId != null) {
      claims.setClaim("sid", loginSessionId);
    }
    claims.setClaim("acr", "1");
    claims.setStringListClaim("amr", List.of(grant.amr()));
    UserClaims.add(claims, user, scopes);
    return signer.sign(claims, SignedTokens.ID_TOKEN_ALGORITHM, null);
  }

  /** OpenID Connect Core 3.1.3.6: base64url of the left half of SHA-256 of the token's ASCII. */
  static String leftHalfHash(String token) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(Arrays.copyOf(digest, digest.length / 2));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private String randomId() {
    var bytes = new byte[16];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
