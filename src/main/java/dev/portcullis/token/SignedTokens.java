package dev.portcullis.token;

import dev.portcullis.config.Settings;
import dev.portcullis.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.Key;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
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
 * Signs the JWTs of the OAuth provider (access tokens of both profiles, ID tokens) with Portcullis'
 * own keys, and verifies the ones it gets back: access tokens at introspection and userinfo, ID
 * tokens as {@code id_token_hint} at logout.
 *
 * <p>Verification resolves keys only by {@code kid} from Portcullis' {@link KeyRing} (never from
 * {@code jwk}, {@code jku}, {@code x5u}, {@code x5c}), requires the header algorithm to be the
 * key's one, refuses JWE and nested tokens, and checks {@code iss} exactly. Token types are kept
 * apart by the {@code typ} header: access tokens carry {@code at+jwt} (RFC 9068) or {@code JWT}
 * (the MicroProfile JWT profile), ID tokens carry none — so a MicroProfile JWT verifier, which
 * accepts only {@code typ: JWT}, never takes an ID token for an access token, and an ID token is
 * never accepted here as an access token (nor an access token as an ID token hint). Thread-safe.
 */
@ApplicationScoped
public class SignedTokens {

  /** ID tokens and {@code mp-jwt} access tokens: OpenID Connect and MicroProfile JWT need it. */
  public static final String ID_TOKEN_ALGORITHM = AlgorithmIdentifiers.RSA_USING_SHA256;

  /** Header {@code typ} of an RFC 9068 access token. */
  public static final String ACCESS_TOKEN_TYPE = "at+jwt";

  /** Header {@code typ} of a MicroProfile JWT access token. */
  public static final String MP_JWT_TYPE = "JWT";

  private static final Pattern COMPACT_JWS =
      Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

  private Settings settings;
  private Clock clock;
  private KeyRingSource keys;
  private JwtConsumer accessTokenConsumer;
  private JwtConsumer idTokenConsumer;

  protected SignedTokens() {}

  @Inject
  public SignedTokens(Settings settings, Clock clock, KeyRingSource keys) {
    this.settings = settings;
    this.clock = clock;
    this.keys = keys;
    this.accessTokenConsumer = consumer(this::validateAccessToken);
    this.idTokenConsumer = consumer(this::validateIdTokenHint);
  }

  private JwtConsumer consumer(ErrorCodeValidator validator) {
    return new JwtConsumerBuilder()
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
        .registerValidator(validator)
        .build();
  }

  /**
   * Signs {@code claims} with the current key of {@code algorithm}.
   *
   * @param type the {@code typ} header, or null for none (ID tokens)
   * @throws ProblemException 503 when no key signs that algorithm (yet)
   */
  public String sign(JwtClaims claims, String algorithm, String type) {
    var key =
        keys.current()
            .signingKey(algorithm, clock.instant())
            .orElseThrow(ProblemException::unavailable);
    var jws = new JsonWebSignature();
    jws.setPayload(claims.toJson());
    jws.setKey(key.jwk().getPrivateKey());
    jws.setKeyIdHeaderValue(key.kid());
    jws.setAlgorithmHeaderValue(key.algorithm());
    if (type != null) {
      jws.setHeader("typ", type);
    }
    try {
      return jws.getCompactSerialization();
    } catch (JoseException e) {
      throw new IllegalStateException("Cannot sign a token", e);
    }
  }

  /**
   * The claims of an unexpired access token this server issued, of any audience and either profile;
   * empty for anything else (including ID tokens). Revocation is the caller's check.
   */
  public Optional<JwtClaims> verifyAccessToken(String token) {
    return process(accessTokenConsumer, token);
  }

  /**
   * The claims of an ID token this server issued, expired or not (OpenID RP-Initiated Logout 1.0:
   * an expired hint still identifies the session); empty for anything else.
   */
  public Optional<JwtClaims> verifyIdTokenHint(String token) {
    return process(idTokenConsumer, token);
  }

  private Optional<JwtClaims> process(JwtConsumer consumer, String token) {
    if (token == null
        || token.length() > AccessTokens.MAX_TOKEN_LENGTH
        || !COMPACT_JWS.matcher(token).matches()
        || !AccessTokens.canonicallyEncoded(token)) {
      return Optional.empty();
    }
    try {
      return Optional.of(consumer.process(token).getJwtClaims());
    } catch (InvalidJwtException e) {
      return Optional.empty();
    }
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

  private ErrorCodeValidator.Error validateAccessToken(JwtContext context)
      throws MalformedClaimException {
    var common = validateCommon(context);
    if (common != null) {
      return common;
    }
    String type = context.getJoseObjects().get(0).getHeader("typ");
    if (!Set.of(ACCESS_TOKEN_TYPE, "application/" + ACCESS_TOKEN_TYPE, MP_JWT_TYPE)
        .contains(type)) {
      return new ErrorCodeValidator.Error(ErrorCodes.TYPE_INVALID, "typ");
    }
    var claims = context.getJwtClaims();
    var exp = claims.getExpirationTime();
    var iat = claims.getIssuedAt();
    if (exp == null || iat == null || claims.getJwtId() == null) {
      return new ErrorCodeValidator.Error(ErrorCodes.EXPIRATION_MISSING, "exp/iat/jti");
    }
    long now = clock.millis();
    long leeway = settings.clockLeeway().toMillis();
    if (iat.getValueInMillis() > now + leeway) {
      return new ErrorCodeValidator.Error(ErrorCodes.ISSUED_AT_INVALID_FUTURE, "iat");
    }
    if (exp.getValueInMillis() - iat.getValueInMillis()
        > settings.accessTokenTtl().plusSeconds(1).toMillis()) {
      return new ErrorCodeValidator.Error(ErrorCodes.EXPIRATION_TOO_FAR_IN_FUTURE, "lifetime");
    }
    if (now >= exp.getValueInMillis()) {
      return new ErrorCodeValidator.Error(ErrorCodes.EXPIRED, "exp");
    }
    return null;
  }

  private ErrorCodeValidator.Error validateIdTokenHint(JwtContext context)
      throws MalformedClaimException {
    var common = validateCommon(context);
    if (common != null) {
      return common;
    }
    if (context.getJoseObjects().get(0).getHeader("typ") != null
        || !ID_TOKEN_ALGORITHM.equals(context.getJoseObjects().get(0).getAlgorithmHeaderValue())) {
      return new ErrorCodeValidator.Error(ErrorCodes.TYPE_INVALID, "typ");
    }
    if (!context.getJwtClaims().hasAudience()) {
      return new ErrorCodeValidator.Error(ErrorCodes.AUDIENCE_MISSING, "aud");
    }
    return null;
  }

  private ErrorCodeValidator.Error validateCommon(JwtContext context)
      throws MalformedClaimException {
    if (context.getJoseObjects().size() != 1) {
      return new ErrorCodeValidator.Error(ErrorCodes.MISCELLANEOUS, "nested");
    }
    var claims = context.getJwtClaims();
    if (!settings.issuer().equals(claims.getIssuer())) {
      return new ErrorCodeValidator.Error(ErrorCodes.ISSUER_INVALID, "iss");
    }
    if (claims.getSubject() == null) {
      return new ErrorCodeValidator.Error(ErrorCodes.SUBJECT_MISSING, "sub");
    }
    return null;
  }
}
