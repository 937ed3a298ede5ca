package dev.portcullis.upstream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Set;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.lang.JoseException;

/**
 * Checks an upstream provider's ID token (OpenID Connect Core 3.1.3.7) and says who signed in. The
 * token must be a compact JWS (never a JWE, never unsigned) with an asymmetric algorithm, signed by
 * a key of <em>this</em> provider ({@link ProviderKeys}) whose type (and {@code alg}, when the key
 * names one) fits the token's algorithm; {@code iss} exactly the configured issuer (Google also
 * signs {@code accounts.google.com}, which its documentation names); {@code aud} containing the
 * client id, and {@code azp} the client id when present or when there are several audiences; {@code
 * exp} and {@code iat} present and within a minute's leeway, at most a day ahead; {@code nonce}
 * exactly the one this sign-in sent; {@code sub} present. Any failure is a {@link
 * SignInRefusedException} naming the check. Thread-safe.
 */
@ApplicationScoped
public class IdTokens {

  static final int MAX_TOKEN_CHARS = 16 * 1024;
  static final int LEEWAY_SECONDS = 60;
  static final Set<String> ALGORITHMS =
      Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512");
  static final String GOOGLE_ISSUER_ALIAS = "accounts.google.com";

  @Inject ProviderKeys keys;

  /** Verifies {@code idToken} for {@code provider} and this sign-in's {@code nonce}. */
  UpstreamIdentity verify(
      UpstreamProvider provider, ProviderEndpoints endpoints, String idToken, String nonce) {
    if (idToken == null || idToken.isEmpty() || idToken.length() > MAX_TOKEN_CHARS) {
      throw new SignInRefusedException("id_token_missing_or_oversized");
    }
    JsonWebStructure parsed;
    try {
      parsed = JsonWebStructure.fromCompactSerialization(idToken);
    } catch (JoseException | RuntimeException e) {
      throw new SignInRefusedException("id_token_malformed");
    }
    if (!(parsed instanceof JsonWebSignature jws)) {
      throw new SignInRefusedException("id_token_not_a_jws");
    }
    String alg = jws.getAlgorithmHeaderValue();
    if (alg == null || !ALGORITHMS.contains(alg)) {
      throw new SignInRefusedException("id_token_algorithm_refused");
    }
    var key =
        keys.find(provider, endpoints, jws.getKeyIdHeaderValue())
            .orElseThrow(() -> new SignInRefusedException("id_token_unknown_key"));
    boolean fits =
        alg.startsWith("ES")
            ? key.getPublicKey() instanceof ECPublicKey
            : key.getPublicKey() instanceof RSAPublicKey;
    if (!fits || (key.getAlgorithm() != null && !key.getAlgorithm().equals(alg))) {
      throw new SignInRefusedException("id_token_key_algorithm_mismatch");
    }
    var issuers =
        provider.kind() == ProviderKind.GOOGLE
            ? new String[] {provider.issuer(), GOOGLE_ISSUER_ALIAS}
            : new String[] {provider.issuer()};
    JwtClaims claims;
    try {
      claims =
          new JwtConsumerBuilder()
              .setVerificationKey(key.getPublicKey())
              .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, alg)
              .setExpectedIssuers(true, issuers)
              .setExpectedAudience(provider.clientId())
              .setRequireExpirationTime()
              .setRequireIssuedAt()
              .setRequireSubject()
              .setAllowedClockSkewInSeconds(LEEWAY_SECONDS)
              .setMaxFutureValidityInMinutes(24 * 60)
              .setIssuedAtRestrictions(LEEWAY_SECONDS, 24 * 60 * 60)
              .build()
              .processToClaims(idToken);
    } catch (InvalidJwtException e) {
      throw new SignInRefusedException(failure(e));
    }
    try {
      checkAuthorizedParty(claims, provider.clientId());
      Object sent = claims.getClaimValue("nonce");
      if (!(sent instanceof String s) || !equal(s, nonce)) {
        throw new SignInRefusedException("id_token_nonce_mismatch");
      }
      String subject = claims.getSubject();
      if (subject.isEmpty() || subject.length() > 255) {
        throw new SignInRefusedException("id_token_subject_invalid");
      }
      return new UpstreamIdentity(
          provider.issuer(),
          subject,
          claims.getClaimValue("email") instanceof String e ? e : null,
          verified(claims.getClaimValue("email_verified")),
          claims.getClaimValue("preferred_username") instanceof String u ? u : null,
          claims.getClaimValue("name") instanceof String n ? n : null);
    } catch (MalformedClaimException e) {
      throw new SignInRefusedException("id_token_malformed_claim");
    }
  }

  private static void checkAuthorizedParty(JwtClaims claims, String clientId)
      throws MalformedClaimException {
    List<String> audience = claims.getAudience();
    Object azp = claims.getClaimValue("azp");
    if (azp != null && !clientId.equals(azp)) {
      throw new SignInRefusedException("id_token_azp_mismatch");
    }
    if (audience.size() > 1 && azp == null) {
      throw new SignInRefusedException("id_token_azp_missing");
    }
  }

  /** {@code email_verified} as OpenID Connect has it (a boolean; some providers send a string). */
  static boolean verified(Object value) {
    return Boolean.TRUE.equals(value) || "true".equals(value);
  }

  private static boolean equal(String a, String b) {
    return b != null
        && MessageDigest.isEqual(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  private static String failure(InvalidJwtException e) {
    if (e.hasExpired()) {
      return "id_token_expired";
    }
    if (e.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.ISSUER_INVALID)) {
      return "id_token_issuer_mismatch";
    }
    if (e.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.AUDIENCE_INVALID)
        || e.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.AUDIENCE_MISSING)) {
      return "id_token_audience_mismatch";
    }
    if (e.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.SIGNATURE_INVALID)) {
      return "id_token_signature_invalid";
    }
    return "id_token_invalid";
  }
}
