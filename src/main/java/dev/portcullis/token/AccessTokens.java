package dev.portcullis.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.portcullis.config.Settings;
import dev.portcullis.problem.ProblemException;
import dev.portcullis.secret.OpaqueTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.Key;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.ErrorCodeValidator;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.lang.JoseException;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * Issues and verifies Portcullis access tokens (SPEC 3.4, RFC 9068) with jose4j.
 *
 * <p>Issued tokens carry header {@code typ: at+jwt} and {@code kid}, and the claims {@code iss},
 * {@code sub}, {@code aud}, {@code exp}, {@code iat}, {@code nbf}, {@code jti}, {@code scope},
 * {@code client_id}, {@code sid}, {@code upn} and {@code groups}.
 *
 * <p>The verifying {@link JwtConsumer} is built once: it resolves keys only by {@code kid} from
 * Portcullis' own {@link KeyRing} (never from {@code jwk}, {@code jku}, {@code x5u} or {@code x5c}
 * headers), allows only PS256, RS256 and ES256 and requires the header algorithm to be the one the
 * key is bound to, rejects JWE and nested tokens, and checks {@code typ}, {@code iss} (exact),
 * {@code aud}, {@code exp}/{@code nbf}/{@code iat} with the configured leeway against the injected
 * {@link Clock}, and a maximum lifetime. Thread-safe.
 *
 * <p>Verified tokens are cached (bounded, keyed by the token's SHA-256, never longer than a token
 * can live), so a token presented again costs a hash and two map look-ups instead of a signature
 * check; a cache hit is still refused once the token expires or its key is revoked or retired.
 */
@ApplicationScoped
public class AccessTokens {

  /** Tokens longer than this are refused before any parsing (RFC 8725 guidance on size). */
  static final int MAX_TOKEN_LENGTH = 8192;

  private static final Pattern COMPACT_JWS =
      Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
  private static final String TYPE = "at+jwt";
  private static final String CLIENT_ID = "portcullis";
  private static final String SCOPE = "api";

  private final SecureRandom random = new SecureRandom();
  private Settings settings;
  private Clock clock;
  private KeyRingSource keys;
  private JwtConsumer consumer;
  private Cache<String, Verified> verified;

  /** A verified token and the key that verified it. */
  private record Verified(AccessToken token, String kid) {}

  protected AccessTokens() {}

  @Inject
  public AccessTokens(Settings settings, Clock clock, KeyRingSource keys) {
    this.settings = settings;
    this.clock = clock;
    this.keys = keys;
    this.verified =
        Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(settings.accessTokenTtl().plus(settings.clockLeeway()))
            .build();
    this.consumer =
        new JwtConsumerBuilder()
            .setSkipAllDefaultValidators()
            .setJwsAlgorithmConstraints(
                new AlgorithmConstraints(
                    ConstraintType.PERMIT,
                    AlgorithmIdentifiers.RSA_PSS_USING_SHA256,
                    AlgorithmIdentifiers.RSA_USING_SHA256,
                    AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256))
            .setJweAlgorithmConstraints(new AlgorithmConstraints(ConstraintType.PERMIT))
            .setJweContentEncryptionAlgorithmConstraints(
                new AlgorithmConstraints(ConstraintType.PERMIT))
            .setVerificationKeyResolver(this::resolveKey)
            .registerValidator(this::validateClaims)
            .build();
  }

  /**
   * A new access token for {@code subject}.
   *
   * @param subject the user id
   * @param username the username ({@code upn})
   * @param groups the caller's groups
   * @param sessionId the refresh-token family or session ({@code sid})
   */
  public IssuedAccessToken issue(
      UUID subject, String username, Set<String> groups, String sessionId) {
    Instant now = clock.instant();
    Instant expires = now.plus(settings.accessTokenTtl());
    var key =
        keys.current()
            .signingKey(settings.tokenAlgorithm(), now)
            .orElseThrow(ProblemException::unavailable);
    var claims = new JwtClaims();
    claims.setIssuer(settings.issuer());
    claims.setSubject(subject.toString());
    claims.setAudience(settings.audience());
    claims.setExpirationTime(NumericDate.fromMilliseconds(expires.toEpochMilli()));
    claims.setIssuedAt(NumericDate.fromMilliseconds(now.toEpochMilli()));
    claims.setNotBefore(NumericDate.fromMilliseconds(now.toEpochMilli()));
    claims.setJwtId(randomId());
    claims.setClaim("scope", SCOPE);
    claims.setClaim("client_id", CLIENT_ID);
    claims.setClaim("sid", sessionId);
    claims.setClaim("upn", username);
    claims.setStringListClaim("groups", List.copyOf(groups));
    var jws = new JsonWebSignature();
    jws.setPayload(claims.toJson());
    jws.setKey(key.jwk().getPrivateKey());
    jws.setKeyIdHeaderValue(key.kid());
    jws.setAlgorithmHeaderValue(key.algorithm());
    jws.setHeader("typ", TYPE);
    try {
      return new IssuedAccessToken(jws.getCompactSerialization(), expires, SCOPE);
    } catch (JoseException e) {
      throw new IllegalStateException("Cannot sign an access token", e);
    }
  }

  /** Verifies {@code token} completely; see the class description for every check. */
  public AccessToken verify(String token) throws InvalidTokenException {
    if (token == null || token.length() > MAX_TOKEN_LENGTH) {
      throw new InvalidTokenException("MALFORMED", false);
    }
    String cacheKey = OpaqueTokens.sha256(token);
    var cached = verified.getIfPresent(cacheKey);
    if (cached != null) {
      // this exact string passed every check below before
      return stillValid(cacheKey, cached);
    }
    if (!COMPACT_JWS.matcher(token).matches()) {
      throw new InvalidTokenException("MALFORMED", false);
    }
    var fresh = verifyWithoutCache(token);
    verified.put(cacheKey, fresh);
    return fresh.token();
  }

  /**
   * A cached verification holds only while its key still verifies (not revoked, still published)
   * and the token has not expired; the revocation of its session or user is checked by the caller
   * on every request, cached or not.
   */
  private AccessToken stillValid(String cacheKey, Verified cached) throws InvalidTokenException {
    Instant now = clock.instant();
    if (keys.current().verificationKey(cached.kid(), now).isEmpty()) {
      verified.invalidate(cacheKey);
      throw new InvalidTokenException("INVALID", false);
    }
    if (!now.isBefore(cached.token().expiresAt().plus(settings.clockLeeway()))) {
      verified.invalidate(cacheKey);
      throw new InvalidTokenException("EXPIRED", true);
    }
    return cached.token();
  }

  private Verified verifyWithoutCache(String token) throws InvalidTokenException {
    if (!canonicallyEncoded(token)) {
      throw new InvalidTokenException("MALFORMED", false);
    }
    try {
      var context = consumer.process(token);
      var claims = context.getJwtClaims();
      var groups =
          claims.hasClaim("groups")
              ? new HashSet<>(claims.getStringListClaimValue("groups"))
              : new HashSet<String>();
      if (groups.contains(null)) {
        // jose4j lets JSON nulls through a string list; Set.copyOf would throw NPE (a 503)
        throw new InvalidTokenException("MALFORMED_CLAIM", false);
      }
      var accessToken =
          new AccessToken(
              UUID.fromString(claims.getSubject()),
              claims.getStringClaimValue("upn"),
              Set.copyOf(groups),
              claims.getStringClaimValue("sid"),
              claims.getJwtId(),
              Instant.ofEpochMilli(claims.getExpirationTime().getValueInMillis()));
      return new Verified(accessToken, context.getJoseObjects().get(0).getKeyIdHeaderValue());
    } catch (InvalidJwtException e) {
      throw new InvalidTokenException(e.hasExpired() ? "EXPIRED" : "INVALID", e.hasExpired());
    } catch (MalformedClaimException | IllegalArgumentException e) {
      throw new InvalidTokenException("MALFORMED_CLAIM", false);
    }
  }

  /**
   * Whether every segment is the one base64url spelling of its bytes. A decoder ignores the unused
   * low bits of a segment's last character, so setting them spells the same signature differently;
   * such a token is refused rather than treated as another valid token.
   */
  static boolean canonicallyEncoded(String token) {
    for (String segment : token.split("\\.", -1)) {
      try {
        byte[] bytes = Base64.getUrlDecoder().decode(segment);
        if (!Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(segment)) {
          return false;
        }
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    return true;
  }

  private Key resolveKey(JsonWebSignature jws, List<JsonWebStructure> nesting)
      throws UnresolvableKeyException {
    if (!nesting.isEmpty()) {
      throw new UnresolvableKeyException("nested tokens are not accepted");
    }
    var key =
        keys.current()
            .verificationKey(jws.getKeyIdHeaderValue(), clock.instant())
            .orElseThrow(() -> new UnresolvableKeyException("unknown kid"));
    if (!key.algorithm().equals(jws.getAlgorithmHeaderValue())) {
      throw new UnresolvableKeyException("algorithm does not match the key");
    }
    return key.jwk().getPublicKey();
  }

  private ErrorCodeValidator.Error validateClaims(JwtContext context)
      throws MalformedClaimException {
    if (context.getJoseObjects().size() != 1) {
      return new ErrorCodeValidator.Error(ErrorCodes.MISCELLANEOUS, "nested");
    }
    String type = context.getJoseObjects().get(0).getHeader("typ");
    if (!TYPE.equalsIgnoreCase(type) && !("application/" + TYPE).equalsIgnoreCase(type)) {
      return new ErrorCodeValidator.Error(ErrorCodes.TYPE_INVALID, "typ");
    }
    var claims = context.getJwtClaims();
    if (!settings.issuer().equals(claims.getIssuer())) {
      return new ErrorCodeValidator.Error(ErrorCodes.ISSUER_INVALID, "iss");
    }
    if (!claims.hasAudience() || !claims.getAudience().contains(settings.audience())) {
      return new ErrorCodeValidator.Error(ErrorCodes.AUDIENCE_INVALID, "aud");
    }
    if (claims.getSubject() == null
        || claims.getJwtId() == null
        || claims.getStringClaimValue("sid") == null) {
      return new ErrorCodeValidator.Error(ErrorCodes.MALFORMED_CLAIM, "sub/jti/sid");
    }
    var exp = claims.getExpirationTime();
    var iat = claims.getIssuedAt();
    if (exp == null || iat == null) {
      return new ErrorCodeValidator.Error(ErrorCodes.EXPIRATION_MISSING, "exp/iat");
    }
    long now = clock.millis();
    long leeway = settings.clockLeeway().toMillis();
    if (iat.getValueInMillis() > now + leeway) {
      return new ErrorCodeValidator.Error(ErrorCodes.ISSUED_AT_INVALID_FUTURE, "iat");
    }
    var nbf = claims.getNotBefore();
    if (nbf != null && nbf.getValueInMillis() > now + leeway) {
      return new ErrorCodeValidator.Error(ErrorCodes.NOT_YET_VALID, "nbf");
    }
    Duration lifetime = Duration.ofMillis(exp.getValueInMillis() - iat.getValueInMillis());
    if (lifetime.compareTo(settings.accessTokenTtl().plusSeconds(1)) > 0) {
      return new ErrorCodeValidator.Error(ErrorCodes.EXPIRATION_TOO_FAR_IN_FUTURE, "lifetime");
    }
    if (now >= exp.getValueInMillis() + leeway) {
      return new ErrorCodeValidator.Error(ErrorCodes.EXPIRED, "exp");
    }
    return null;
  }

  private String randomId() {
    var bytes = new byte[16];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
