package dev.portcullis.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ID tokens crafted with Nimbus (an independent library) against {@link IdTokens}. */
class IdTokensTest {

  static final String ISSUER = "https://id.example.com";
  static final String CLIENT = "portcullis-client";
  static final String NONCE = "n-0S6_WzA2Mj";

  static RSAKey providerKey;
  static RSAKey otherKey;
  static ECKey ecKey;

  static final UpstreamProvider PROVIDER =
      new UpstreamProvider(
          "corp",
          ProviderKind.OIDC,
          ISSUER,
          null,
          CLIENT,
          "secret",
          "Corp",
          List.of("openid"),
          true,
          Set.of("user"),
          Set.of());

  @BeforeAll
  static void keys() throws Exception {
    providerKey = new RSAKeyGenerator(2048).keyID("k1").generate();
    otherKey = new RSAKeyGenerator(2048).keyID("k1").generate();
    ecKey = new ECKeyGenerator(Curve.P_256).keyID("e1").generate();
  }

  private static IdTokens idTokens() {
    var tokens = new IdTokens();
    tokens.keys =
        new ProviderKeys() {
          @Override
          Optional<PublicJsonWebKey> find(
              UpstreamProvider provider, ProviderEndpoints endpoints, String kid) {
            try {
              if ("k1".equals(kid) || kid == null) {
                return Optional.of(
                    PublicJsonWebKey.Factory.newPublicJwk(
                        providerKey.toPublicJWK().toJSONString()));
              }
              if ("e1".equals(kid)) {
                return Optional.of(
                    PublicJsonWebKey.Factory.newPublicJwk(ecKey.toPublicJWK().toJSONString()));
              }
              return Optional.empty();
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }
        };
    return tokens;
  }

  private static JWTClaimsSet.Builder claims() {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject("248289761001")
        .audience(CLIENT)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(300)))
        .claim("nonce", NONCE)
        .claim("email", "jane@example.com")
        .claim("email_verified", true)
        .claim("preferred_username", "jane");
  }

  private static String signed(RSAKey key, UnaryOperator<JWTClaimsSet.Builder> change)
      throws Exception {
    var jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(key.getKeyID())
                .type(JOSEObjectType.JWT)
                .build(),
            change.apply(claims()).build());
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private static UpstreamIdentity verify(String token) {
    return idTokens().verify(PROVIDER, null, token, NONCE);
  }

  private static void refused(String token, String reason) {
    assertThatThrownBy(() -> verify(token))
        .isInstanceOf(SignInRefusedException.class)
        .extracting(e -> ((SignInRefusedException) e).reason())
        .isEqualTo(reason);
  }

  @Test
  void acceptsAValidTokenAndSaysWhoSignedIn() throws Exception {
    var identity = verify(signed(providerKey, c -> c));
    assertThat(identity.issuer()).isEqualTo(ISSUER);
    assertThat(identity.subject()).isEqualTo("248289761001");
    assertThat(identity.email()).isEqualTo("jane@example.com");
    assertThat(identity.emailVerified()).isTrue();
    assertThat(identity.preferredUsername()).isEqualTo("jane");
  }

  @Test
  void acceptsAnEcSignature() throws Exception {
    var jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("e1").build(), claims().build());
    jwt.sign(new ECDSASigner(ecKey));
    assertThat(verify(jwt.serialize()).subject()).isEqualTo("248289761001");
  }

  @Test
  void refusesAnotherNonce() throws Exception {
    refused(signed(providerKey, c -> c.claim("nonce", "other")), "id_token_nonce_mismatch");
    refused(signed(providerKey, c -> c.claim("nonce", null)), "id_token_nonce_mismatch");
  }

  @Test
  void refusesAKeyOfAnotherProvider() throws Exception {
    refused(signed(otherKey, c -> c), "id_token_signature_invalid");
  }

  @Test
  void refusesAnUnknownKid() throws Exception {
    var key = new RSAKeyGenerator(2048).keyID("unknown").generate();
    refused(signed(key, c -> c), "id_token_unknown_key");
  }

  @Test
  void refusesAnExpiredToken() throws Exception {
    Instant past = Instant.now().minusSeconds(3600);
    refused(
        signed(
            providerKey,
            c -> c.issueTime(Date.from(past)).expirationTime(Date.from(past.plusSeconds(300)))),
        "id_token_expired");
  }

  @Test
  void refusesAnotherIssuerOrAudience() throws Exception {
    refused(
        signed(providerKey, c -> c.issuer("https://evil.example.com")), "id_token_issuer_mismatch");
    refused(signed(providerKey, c -> c.issuer(ISSUER + "/")), "id_token_issuer_mismatch");
    refused(signed(providerKey, c -> c.audience("someone-else")), "id_token_audience_mismatch");
  }

  @Test
  void googlesShortIssuerOnlyForGoogle() throws Exception {
    refused(signed(providerKey, c -> c.issuer("accounts.google.com")), "id_token_issuer_mismatch");
  }

  @Test
  void checksTheAuthorizedParty() throws Exception {
    refused(signed(providerKey, c -> c.audience(List.of(CLIENT, "other"))), "id_token_azp_missing");
    refused(signed(providerKey, c -> c.claim("azp", "other")), "id_token_azp_mismatch");
    assertThat(
            verify(signed(providerKey, c -> c.audience(List.of(CLIENT, "x")).claim("azp", CLIENT))))
        .isNotNull();
  }

  @Test
  void refusesMissingSubjectOrTimes() throws Exception {
    refused(signed(providerKey, c -> c.subject(null)), "id_token_invalid");
    refused(signed(providerKey, c -> c.issueTime(null)), "id_token_invalid");
    refused(signed(providerKey, c -> c.expirationTime(null)), "id_token_invalid");
  }

  @Test
  void refusesUnsignedSymmetricAndEncryptedTokens() throws Exception {
    refused(new PlainJWT(claims().build()).serialize(), "id_token_algorithm_refused");
    var hs =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(), claims().build());
    hs.sign(
        // algorithm confusion: HMAC keyed with the provider's public key
        new MACSigner(providerKey.toRSAPublicKey().getEncoded()));
    refused(hs.serialize(), "id_token_algorithm_refused");
    var jwe =
        new JWEObject(
            new JWEHeader(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM),
            new Payload(claims().build().toJSONObject()));
    jwe.encrypt(new RSAEncrypter(providerKey.toRSAPublicKey()));
    refused(jwe.serialize(), "id_token_not_a_jws");
  }

  @Test
  void refusesAnRsaKeyForAnEcAlgorithm() throws Exception {
    var jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k1").build(), claims().build());
    jwt.sign(new ECDSASigner(ecKey));
    refused(jwt.serialize(), "id_token_key_algorithm_mismatch");
  }

  @Test
  void refusesGarbageAndOversizedTokens() {
    refused("not.a.token", "id_token_malformed");
    refused("", "id_token_missing_or_oversized");
    refused(null, "id_token_missing_or_oversized");
    refused("a".repeat(IdTokens.MAX_TOKEN_CHARS + 1), "id_token_missing_or_oversized");
  }
}
