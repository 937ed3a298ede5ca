package dev.portcullis.token;

import static dev.portcullis.testing.TokenForge.assemble;
import static dev.portcullis.testing.TokenForge.b64;
import static dev.portcullis.testing.TokenForge.json;
import static dev.portcullis.testing.TokenForge.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.crypto.impl.ECDSA;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.portcullis.config.Settings;
import dev.portcullis.config.SettingsProducer;
import dev.portcullis.testing.TokenForge;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.config.spi.Converter;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Proves that {@link AccessTokens} accepts its own access tokens and refuses hostile ones
 * (SECURITY.md "JOSE / JWT", SPEC 3.2 and 3.4).
 *
 * <p>Every attack token is crafted with nimbus-jose-jwt, never with the code under test, and most
 * are signed with the ring's own private key, so the one rule each breaks is the only reason it can
 * be refused: {@link #acceptsTokensCraftedByAnotherLibraryWithTheRingKeys} shows the unbroken forms
 * pass. Time is pinned with {@link Clock#fixed}.
 */
class AccessTokensTest {

  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  private static final String ISSUER = "https://id.portcullis.test";
  private static final String AUDIENCE = "portcullis";
  private static final Duration TTL = Duration.ofMinutes(15);
  private static final Duration LEEWAY = Duration.ofSeconds(30);
  private static final UUID SUBJECT = UUID.fromString("5f0c1d0e-8f6a-4b7e-9a43-2d1e6c9b7a10");
  private static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");

  // the ring's PS256 key, the ring's ES256 key, and a key the ring has never seen
  private static final KeyPair RSA = TokenForge.rsaKeyPair();
  private static final KeyPair EC = TokenForge.ecKeyPair();
  private static final KeyPair ATTACKER = TokenForge.rsaKeyPair();
  private static final String RSA_KID = thumbprint(RSA);
  private static final String EC_KID = ecThumbprint(EC);
  private static final JWSSigner RSA_SIGNER = new RSASSASigner(RSA.getPrivate());
  private static final JWSSigner EC_SIGNER = ecSigner(EC);
  private static final JWSSigner ATTACKER_SIGNER = new RSASSASigner(ATTACKER.getPrivate());
  private static final PublicJsonWebKey RSA_JWK = jose4jKey(RSA, RSA_KID, "PS256");

  private static final KeyRing RING = ring();
  private static final AccessTokens TOKENS =
      new AccessTokens(settings(), Clock.fixed(NOW, ZoneOffset.UTC), () -> RING);

  /**
   * Stands in for an attacker's web server: counts every request a {@code jku}/{@code x5u} causes.
   */
  private static HttpServer attackerSite;

  private static final AtomicInteger ATTACKER_SITE_HITS = new AtomicInteger();

  @BeforeAll
  static void startAttackerSite() throws IOException {
    attackerSite = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    byte[] jwks =
        new JWKSet(new RSAKey.Builder((RSAPublicKey) ATTACKER.getPublic()).keyID("evil").build())
            .toString()
            .getBytes(StandardCharsets.UTF_8);
    attackerSite.createContext(
        "/",
        exchange -> {
          ATTACKER_SITE_HITS.incrementAndGet();
          exchange.sendResponseHeaders(200, jwks.length);
          exchange.getResponseBody().write(jwks);
          exchange.close();
        });
    attackerSite.start();
  }

  @AfterAll
  static void stopAttackerSite() {
    attackerSite.stop(0);
  }

  // ---------------------------------------------------------------------------------------------
  // What must be accepted: without these, every rejection below could be vacuous.

  @Test
  void issuedTokenVerifiesAndCarriesEveryClaim() throws Exception {
    var issued = TOKENS.issue(SUBJECT, "alice", Set.of("user", "admin"), "sid-42");

    var verified = TOKENS.verify(issued.value());
    assertThat(verified.subject()).isEqualTo(SUBJECT);
    assertThat(verified.username()).isEqualTo("alice");
    assertThat(verified.groups()).containsExactlyInAnyOrder("user", "admin");
    assertThat(verified.sessionId()).isEqualTo("sid-42");
    assertThat(verified.expiresAt()).isEqualTo(NOW.plus(TTL)).isEqualTo(issued.expiresAt());

    // read back by an independent library
    var jwt = SignedJWT.parse(issued.value());
    assertThat(jwt.verify(new RSASSAVerifier((RSAPublicKey) RSA.getPublic()))).isTrue();
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.PS256);
    assertThat(jwt.getHeader().getType()).isEqualTo(AT_JWT);
    assertThat(jwt.getHeader().getKeyID()).isEqualTo(RSA_KID);
    var claims = jwt.getJWTClaimsSet();
    assertThat(claims.getIssuer()).isEqualTo(ISSUER);
    assertThat(claims.getSubject()).isEqualTo(SUBJECT.toString());
    assertThat(claims.getAudience()).containsExactly(AUDIENCE);
    assertThat(claims.getExpirationTime()).isEqualTo(Date.from(NOW.plus(TTL)));
    assertThat(claims.getIssueTime()).isEqualTo(Date.from(NOW));
    assertThat(claims.getNotBeforeTime()).isEqualTo(Date.from(NOW));
    assertThat(claims.getJWTID()).hasSizeGreaterThanOrEqualTo(16).isEqualTo(verified.tokenId());
    assertThat(claims.getStringClaim("scope")).isEqualTo("api");
    assertThat(claims.getStringClaim("client_id")).isEqualTo("portcullis");
    assertThat(claims.getStringClaim("sid")).isEqualTo("sid-42");
    assertThat(claims.getStringClaim("upn")).isEqualTo("alice");
    assertThat(claims.getStringListClaim("groups")).containsExactlyInAnyOrder("user", "admin");

    var other = TOKENS.issue(SUBJECT, "alice", Set.of("user"), "sid-42");
    assertThat(SignedJWT.parse(other.value()).getJWTClaimsSet().getJWTID())
        .isNotEqualTo(claims.getJWTID());
  }

  static Stream<Arguments> wellFormedTokens() throws Exception {
    var nimbusPs256 =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.PS256).type(AT_JWT).keyID(RSA_KID).build(),
            JWTClaimsSet.parse(payload()));
    nimbusPs256.sign(RSA_SIGNER);
    return Stream.of(
        argumentSet("PS256 via nimbus SignedJWT", nimbusPs256.serialize()),
        argumentSet("PS256 raw", rsaSigned(payload())),
        argumentSet("ES256 raw", ecSigned(payload())),
        argumentSet(
            "typ application/at+jwt (RFC 9068 2.1)",
            rsaSigned(header(Map.of("typ", "application/at+jwt")), payload())),
        argumentSet(
            "aud array containing ours",
            rsaSigned(with(payload(), "aud", List.of("other", AUDIENCE)))));
  }

  @ParameterizedTest
  @MethodSource("wellFormedTokens")
  void acceptsTokensCraftedByAnotherLibraryWithTheRingKeys(String token) {
    var verified = assertAccepted(token);
    assertThat(verified.subject()).isEqualTo(SUBJECT);
    assertThat(verified.groups()).containsExactly("user");
  }

  @Test
  void acceptsTokenExpiredByLessThanTheLeeway() {
    var exp = NOW.minus(LEEWAY).plusSeconds(1);
    assertAccepted(rsaSigned(times(exp.minus(TTL), exp.minus(TTL), exp)));
  }

  @Test
  void rejectsTokenExpiredBeyondTheLeewayAndSaysItExpired() {
    var exp = NOW.minus(LEEWAY).minusSeconds(1);
    assertThatThrownBy(() -> TOKENS.verify(rsaSigned(times(exp.minus(TTL), exp.minus(TTL), exp))))
        .isExactlyInstanceOf(InvalidTokenException.class)
        .satisfies(e -> assertThat(((InvalidTokenException) e).expired()).isTrue());
  }

  @Test
  void rejectsOversizedTokenEvenWhenValidlySigned() {
    var small = rsaSigned(with(payload(), "filler", "x".repeat(5500)));
    assertThat(small.length()).isBetween(7000, AccessTokens.MAX_TOKEN_LENGTH);
    assertAccepted(small);

    var large = rsaSigned(with(payload(), "filler", "x".repeat(6500)));
    assertThat(large.length()).isGreaterThan(AccessTokens.MAX_TOKEN_LENGTH);
    assertRejected(large);
    assertRejected(rsaSigned(with(payload(), "filler", "x".repeat(1_000_000))));
  }

  @Test
  void rejectsASecondSpellingOfTheSameSignatureOrPayload() {
    // A 256-byte signature is 342 base64url characters, the last carrying 4 unused bits; setting
    // them gives a different string for the same bytes, which lenient decoders accept.
    String token = rsaSigned(payload());
    assertAccepted(token);
    char last = token.charAt(token.length() - 1);
    String paddingBitsSet =
        token.substring(0, token.length() - 1) + ALPHABET.charAt(ALPHABET.indexOf(last) | 0b1111);
    assertThat(paddingBitsSet).isNotEqualTo(token);
    assertRejected(paddingBitsSet);

    String[] parts = token.split("\\.");
    String header = parts[0];
    String oddHeader =
        header.length() % 4 == 1
            ? null
            : header.substring(0, header.length() - 1)
                + ALPHABET.charAt(
                    ALPHABET.indexOf(header.charAt(header.length() - 1))
                        | (header.length() % 4 == 2 ? 0b1111 : 0b11));
    if (oddHeader != null && !oddHeader.equals(header)) {
      assertRejected(oddHeader + "." + parts[1] + "." + parts[2]);
    }
  }

  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  // ---------------------------------------------------------------------------------------------
  // Claims (RFC 9068 2.2, 4; RFC 8725 3.8-3.12), each broken on an otherwise valid token.

  static Stream<Arguments> wrongTypes() {
    var idToken = payload();
    idToken.put("aud", "portcullis-web");
    idToken.put("nonce", "n-0S6_WzA2Mj");
    idToken.put("azp", "portcullis-web");
    var logoutToken = without(payload(), "exp");
    logoutToken.put("exp", NOW.plus(Duration.ofMinutes(2)).getEpochSecond());
    logoutToken.put(
        "events", Map.of("http://schemas.openid.net/event/backchannel-logout", Map.of()));
    return Stream.of(
        argumentSet("typ JWT", rsaSigned(header(Map.of("typ", "JWT")), payload())),
        argumentSet("typ absent", rsaSigned(without(header(Map.of()), "typ"), payload())),
        argumentSet("typ empty", rsaSigned(header(Map.of("typ", "")), payload())),
        argumentSet(
            "typ application/jwt", rsaSigned(header(Map.of("typ", "application/jwt")), payload())),
        argumentSet(
            "typ at+jwt with suffix", rsaSigned(header(Map.of("typ", "at+jwtx")), payload())),
        argumentSet("typ number", rsaSigned(header(Map.of("typ", 1)), payload())),
        argumentSet("typ array", rsaSigned(header(Map.of("typ", List.of("at+jwt"))), payload())),
        argumentSet(
            "ID token: typ JWT, nonce, azp", rsaSigned(header(Map.of("typ", "JWT")), idToken)),
        argumentSet("ID token without typ", rsaSigned(without(header(Map.of()), "typ"), idToken)),
        argumentSet(
            "logout token (logout+jwt)",
            rsaSigned(header(Map.of("typ", "logout+jwt")), logoutToken)),
        argumentSet(
            "security event token (secevent+jwt)",
            rsaSigned(header(Map.of("typ", "secevent+jwt")), payload())));
  }

  @ParameterizedTest
  @MethodSource("wrongTypes")
  void rejectsTokenOfAnotherType(String token) {
    assertRejected(token);
  }

  static Stream<Arguments> wrongAudiences() {
    return Stream.of(
        argumentSet("aud missing", rsaSigned(without(payload(), "aud"))),
        argumentSet("aud another service", rsaSigned(with(payload(), "aud", "billing"))),
        argumentSet("aud case changed", rsaSigned(with(payload(), "aud", "Portcullis"))),
        argumentSet("aud with space", rsaSigned(with(payload(), "aud", AUDIENCE + " "))),
        argumentSet("aud empty", rsaSigned(with(payload(), "aud", ""))),
        argumentSet("aud empty array", rsaSigned(with(payload(), "aud", List.of()))),
        argumentSet(
            "aud array of others", rsaSigned(with(payload(), "aud", List.of("a", "billing")))),
        argumentSet("aud number", rsaSigned(with(payload(), "aud", 7))),
        argumentSet("aud object", rsaSigned(with(payload(), "aud", Map.of("aud", AUDIENCE)))));
  }

  @ParameterizedTest
  @MethodSource("wrongAudiences")
  void rejectsWrongOrMissingAudience(String token) {
    assertRejected(token);
  }

  static Stream<Arguments> wrongIssuers() {
    return Stream.of(
        argumentSet("iss missing", rsaSigned(without(payload(), "iss"))),
        argumentSet("iss with trailing slash", rsaSigned(with(payload(), "iss", ISSUER + "/"))),
        argumentSet(
            "iss host in upper case",
            rsaSigned(with(payload(), "iss", "https://ID.portcullis.test"))),
        argumentSet("iss all upper case", rsaSigned(with(payload(), "iss", ISSUER.toUpperCase()))),
        argumentSet(
            "iss http instead of https",
            rsaSigned(with(payload(), "iss", ISSUER.replace("https:", "http:")))),
        argumentSet("iss with default port", rsaSigned(with(payload(), "iss", ISSUER + ":443"))),
        argumentSet("iss with path", rsaSigned(with(payload(), "iss", ISSUER + "/realms/x"))),
        argumentSet("iss with whitespace", rsaSigned(with(payload(), "iss", " " + ISSUER))),
        argumentSet(
            "iss of an upstream provider",
            rsaSigned(with(payload(), "iss", "https://accounts.google.com"))),
        argumentSet("iss array", rsaSigned(with(payload(), "iss", List.of(ISSUER)))));
  }

  @ParameterizedTest
  @MethodSource("wrongIssuers")
  void rejectsIssuerThatIsNotAnExactMatch(String token) {
    assertRejected(token);
  }

  static Stream<Arguments> badTimes() {
    long now = NOW.getEpochSecond();
    long ttl = TTL.toSeconds();
    long beyondLeeway = LEEWAY.toSeconds() + 1;
    return Stream.of(
        argumentSet("exp missing", rsaSigned(without(payload(), "exp"))),
        argumentSet("iat missing", rsaSigned(without(payload(), "iat"))),
        argumentSet("nbf beyond the leeway", rsaSigned(with(payload(), "nbf", now + beyondLeeway))),
        argumentSet(
            "iat beyond the leeway",
            rsaSigned(times(NOW.plusSeconds(beyondLeeway), NOW, NOW.plus(TTL)))),
        argumentSet(
            "iat far in the future",
            rsaSigned(times(NOW.plus(Duration.ofDays(365)), NOW, NOW.plus(TTL)))),
        argumentSet("lifetime one hour", rsaSigned(times(NOW, NOW, NOW.plus(Duration.ofHours(1))))),
        argumentSet(
            "lifetime one minute over the access TTL",
            rsaSigned(times(NOW, NOW, NOW.plus(TTL).plusSeconds(60)))),
        argumentSet(
            "lifetime stretched by a backdated iat",
            rsaSigned(times(NOW.minus(Duration.ofHours(1)), NOW, NOW.plusSeconds(60)))),
        argumentSet(
            "exp numeric string", rsaSigned(with(payload(), "exp", Long.toString(now + ttl)))),
        argumentSet("exp ISO date", rsaSigned(with(payload(), "exp", "2025-06-01T12:15:00Z"))),
        argumentSet("exp boolean", rsaSigned(with(payload(), "exp", true))),
        argumentSet("exp array", rsaSigned(with(payload(), "exp", List.of(now + ttl)))),
        argumentSet("iat string", rsaSigned(with(payload(), "iat", Long.toString(now)))),
        argumentSet("nbf string", rsaSigned(with(payload(), "nbf", Long.toString(now)))),
        argumentSet("exp Long.MAX_VALUE", rsaSigned(with(payload(), "exp", Long.MAX_VALUE))),
        argumentSet(
            "exp overflowing to the past in milliseconds",
            rsaSigned(with(payload(), "exp", Long.MAX_VALUE / 1000 + 1))),
        argumentSet(
            "exp beyond a long",
            rsaSigned(
                json(header(Map.of())),
                json(payload()).replace("\"exp\":" + (now + ttl), "\"exp\":1e400"))),
        argumentSet(
            "exp null",
            rsaSigned(
                json(header(Map.of())),
                json(payload()).replace("\"exp\":" + (now + ttl), "\"exp\":null"))));
  }

  @ParameterizedTest
  @MethodSource("badTimes")
  void rejectsTimeClaimsOutsideTheRules(String token) {
    assertRejected(token);
  }

  static Stream<Arguments> badIdentityClaims() {
    return Stream.of(
        argumentSet("sub missing", rsaSigned(without(payload(), "sub"))),
        argumentSet("sid missing", rsaSigned(without(payload(), "sid"))),
        argumentSet("jti missing", rsaSigned(without(payload(), "jti"))),
        argumentSet("sub not a user id", rsaSigned(with(payload(), "sub", "admin"))),
        argumentSet("sub number", rsaSigned(with(payload(), "sub", 42))),
        argumentSet("sid number", rsaSigned(with(payload(), "sid", 42))),
        argumentSet("jti object", rsaSigned(with(payload(), "jti", Map.of()))),
        argumentSet("upn number", rsaSigned(with(payload(), "upn", 42))),
        argumentSet("groups a string", rsaSigned(with(payload(), "groups", "admin"))),
        argumentSet("groups with a number", rsaSigned(with(payload(), "groups", List.of(1)))),
        argumentSet(
            "groups with a null",
            rsaSigned(
                json(header(Map.of())),
                json(payload()).replace("\"groups\":[\"user\"]", "\"groups\":[\"admin\",null]"))),
        argumentSet(
            "groups with a nested array",
            rsaSigned(with(payload(), "groups", List.of(List.of("admin"))))));
  }

  @ParameterizedTest
  @MethodSource("badIdentityClaims")
  void rejectsMissingOrMalformedIdentityClaims(String token) {
    assertRejected(token);
  }

  // ---------------------------------------------------------------------------------------------
  // Header attacks: algorithms, keys and key ids (RFC 8725 2.1, 3.1, 3.2).

  static Stream<Arguments> algorithmsNotBoundToTheKey() {
    return Stream.of(
        argumentSet(
            "RS256 by the PS256-bound key",
            sign(
                json(header(Map.of("alg", "RS256"))),
                json(payload()),
                JWSAlgorithm.RS256,
                RSA_SIGNER)),
        argumentSet(
            "PS384 by the PS256-bound key",
            sign(
                json(header(Map.of("alg", "PS384"))),
                json(payload()),
                JWSAlgorithm.PS384,
                RSA_SIGNER)),
        argumentSet(
            "PS512 by the PS256-bound key",
            sign(
                json(header(Map.of("alg", "PS512"))),
                json(payload()),
                JWSAlgorithm.PS512,
                RSA_SIGNER)),
        argumentSet(
            "RS512 by the PS256-bound key",
            sign(
                json(header(Map.of("alg", "RS512"))),
                json(payload()),
                JWSAlgorithm.RS512,
                RSA_SIGNER)),
        argumentSet(
            "ES256 by the EC key under the RSA key's kid",
            sign(
                json(header(Map.of("alg", "ES256"))),
                json(payload()),
                JWSAlgorithm.ES256,
                EC_SIGNER)),
        argumentSet(
            "PS256 by the RSA key under the EC key's kid",
            rsaSigned(header(Map.of("kid", EC_KID)), payload())),
        argumentSet(
            "ps256 in lower case",
            sign(
                json(header(Map.of("alg", "ps256"))),
                json(payload()),
                JWSAlgorithm.PS256,
                RSA_SIGNER)));
  }

  @ParameterizedTest
  @MethodSource("algorithmsNotBoundToTheKey")
  void rejectsAlgorithmOtherThanTheOneTheKeyIsBoundTo(String token) {
    assertRejected(token);
  }

  static Stream<Arguments> unsignedTokens() {
    String realSignature = rsaSigned(payload()).split("\\.")[2];
    var cases = Stream.<Arguments>builder();
    for (String none : List.of("none", "None", "NONE", "nOnE")) {
      String header = json(header(Map.of("alg", none)));
      cases.add(
          argumentSet("alg " + none + ", empty signature", assemble(header, json(payload()), "")));
      cases.add(
          argumentSet(
              "alg " + none + ", a real signature",
              assemble(header, json(payload()), realSignature)));
    }
    String payload = json(payload());
    String missing = json(without(header(Map.of()), "alg"));
    return Stream.concat(
        cases.build(),
        Stream.of(
            argumentSet("alg missing, empty signature", assemble(missing, payload, "")),
            argumentSet("alg missing, a real signature", assemble(missing, payload, realSignature)),
            argumentSet(
                "alg missing, signed by the ring key",
                sign(missing, payload, JWSAlgorithm.PS256, RSA_SIGNER)),
            argumentSet(
                "alg null",
                assemble(
                    "{\"alg\":null,\"typ\":\"at+jwt\",\"kid\":\"" + RSA_KID + "\"}",
                    payload,
                    realSignature)),
            argumentSet(
                "alg empty", assemble(json(header(Map.of("alg", ""))), payload, realSignature)),
            argumentSet(
                "alg number",
                sign(json(header(Map.of("alg", 256))), payload, JWSAlgorithm.PS256, RSA_SIGNER)),
            argumentSet(
                "alg array",
                sign(
                    json(header(Map.of("alg", List.of("PS256")))),
                    payload,
                    JWSAlgorithm.PS256,
                    RSA_SIGNER))));
  }

  @ParameterizedTest
  @MethodSource("unsignedTokens")
  void rejectsAlgNoneInAnyFormAndMissingAlg(String token) {
    assertRejected(token);
  }

  static Stream<Arguments> hmacKeyedWithThePublicKey() throws JoseException {
    var publicKey = (RSAPublicKey) RSA.getPublic();
    String header = json(header(Map.of("alg", "HS256")));
    String payload = json(payload());
    byte[] modulus = unsigned(publicKey.getModulus());
    String pem = TokenForge.pem(publicKey);
    String jose4jJwk = RSA_JWK.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    String nimbusJwk = new RSAKey.Builder(publicKey).keyID(RSA_KID).build().toJSONString();
    return Stream.of(
        argumentSet("X.509 DER bytes", TokenForge.hs256(header, payload, publicKey.getEncoded())),
        argumentSet("PEM", TokenForge.hs256(header, payload, bytes(pem))),
        argumentSet(
            "PEM without final newline", TokenForge.hs256(header, payload, bytes(pem.strip()))),
        argumentSet("modulus bytes", TokenForge.hs256(header, payload, modulus)),
        argumentSet(
            "modulus base64url text", TokenForge.hs256(header, payload, bytes(b64(modulus)))),
        argumentSet("JWK JSON as published", TokenForge.hs256(header, payload, bytes(jose4jJwk))),
        argumentSet("JWK JSON (nimbus)", TokenForge.hs256(header, payload, bytes(nimbusJwk))),
        argumentSet(
            "JWKS document",
            TokenForge.hs256(header, payload, bytes("{\"keys\":[" + jose4jJwk + "]}"))),
        argumentSet(
            "HS512 with the PEM",
            sign(
                json(header(Map.of("alg", "HS512"))),
                payload,
                JWSAlgorithm.HS512,
                macSigner(bytes(pem)))));
  }

  @ParameterizedTest
  @MethodSource("hmacKeyedWithThePublicKey")
  void rejectsHmacKeyedWithThePublicKey(String token) {
    assertRejected(token);
  }

  static Stream<Arguments> unknownKids() {
    var cases = new LinkedHashMap<String, Object>();
    cases.put("unknown kid", "no-such-key");
    cases.put("our kid with a suffix", RSA_KID + "x");
    cases.put("our kid in upper case", RSA_KID.toUpperCase());
    cases.put("empty kid", "");
    cases.put("path traversal", "../../../../etc/passwd");
    cases.put("file URL", "file:///etc/passwd");
    cases.put("SQL injection", "' OR 1=1 --");
    cases.put("SQL union", "x' UNION SELECT kid FROM signing_keys --");
    cases.put("NUL byte", RSA_KID + "\u0000");
    cases.put("CRLF log injection", "x\r\nINFO forged log line");
    cases.put("JNDI lookup", "${jndi:ldap://127.0.0.1/a}");
    cases.put("4000 characters", "k".repeat(4000));
    cases.put("number", 7);
    cases.put("array", List.of(RSA_KID));
    var arguments = Stream.<Arguments>builder();
    cases.forEach(
        (name, kid) ->
            arguments.add(argumentSet(name, rsaSigned(header(Map.of("kid", kid)), payload()))));
    arguments.add(argumentSet("no kid", rsaSigned(without(header(Map.of()), "kid"), payload())));
    arguments.add(
        argumentSet(
            "kid null",
            sign(
                "{\"alg\":\"PS256\",\"typ\":\"at+jwt\",\"kid\":null}",
                json(payload()),
                JWSAlgorithm.PS256,
                RSA_SIGNER)));
    return arguments.build();
  }

  /** Every one is signed by the ring's key: only the kid is wrong. */
  @ParameterizedTest
  @MethodSource("unknownKids")
  void rejectsUnknownMissingOrHostileKid(String token) {
    assertRejected(token);
  }

  @Test
  void rejectsTokenSignedByAnotherKeyUnderOurKid() {
    assertRejected(
        sign(json(header(Map.of())), json(payload()), JWSAlgorithm.PS256, ATTACKER_SIGNER));
  }

  static Stream<Arguments> embeddedOrRemoteKeys() throws Exception {
    var attackerJwk = new RSAKey.Builder((RSAPublicKey) ATTACKER.getPublic()).build();
    var attackerKid = attackerJwk.computeThumbprint().toString();
    var jwk = attackerJwk.toJSONObject();
    String site = "http://127.0.0.1:" + attackerSite.getAddress().getPort();
    var certificate = TokenForge.selfSignedCertificate(ATTACKER, "portcullis");
    var x5c = List.of(Base64.encode(certificate.getEncoded()).toString());
    var cases = new LinkedHashMap<String, Map<String, Object>>();
    cases.put("jwk, our kid", Map.<String, Object>of("jwk", jwk));
    cases.put("jwk, its own kid", Map.<String, Object>of("jwk", jwk, "kid", attackerKid));
    cases.put("jku, our kid", Map.<String, Object>of("jku", site + "/jwks.json"));
    cases.put("jku, its kid", Map.<String, Object>of("jku", site + "/jwks.json", "kid", "evil"));
    cases.put("x5u, our kid", Map.<String, Object>of("x5u", site + "/cert.pem"));
    cases.put("x5u, its kid", Map.<String, Object>of("x5u", site + "/cert.pem", "kid", "evil"));
    cases.put("x5c, our kid", Map.<String, Object>of("x5c", x5c));
    cases.put("x5c, its kid", Map.<String, Object>of("x5c", x5c, "kid", attackerKid));
    var arguments = Stream.<Arguments>builder();
    cases.forEach(
        (name, extra) ->
            arguments.add(
                argumentSet(
                    name,
                    sign(
                        json(header(extra)),
                        json(payload()),
                        JWSAlgorithm.PS256,
                        ATTACKER_SIGNER))));
    for (String parameter : List.of("jwk", "x5c")) {
      var noKid = without(header(Map.of(parameter, parameter.equals("jwk") ? jwk : x5c)), "kid");
      arguments.add(
          argumentSet(
              parameter + ", no kid",
              sign(json(noKid), json(payload()), JWSAlgorithm.PS256, ATTACKER_SIGNER)));
    }
    return arguments.build();
  }

  /** Signed by an attacker's key that the header offers or points at: never fetched, never used. */
  @ParameterizedTest
  @MethodSource("embeddedOrRemoteKeys")
  void rejectsKeysEmbeddedInOrReferencedFromTheHeader(String token) {
    int hits = ATTACKER_SITE_HITS.get();
    assertRejected(token);
    assertThat(ATTACKER_SITE_HITS.get()).as("requests to the attacker's URL").isEqualTo(hits);
  }

  @Test
  void attackerSiteCountsRequests() throws Exception {
    // guards the test above: the counter does see a fetch when one happens
    int before = ATTACKER_SITE_HITS.get();
    JWKSet.load(
        URI.create("http://127.0.0.1:" + attackerSite.getAddress().getPort() + "/x").toURL());
    assertThat(ATTACKER_SITE_HITS.get()).isEqualTo(before + 1);
  }

  static Stream<Arguments> unknownCriticalHeaders() {
    return Stream.of(
        argumentSet(
            "crit exp",
            rsaSigned(
                header(Map.of("crit", List.of("exp"), "exp", NOW.getEpochSecond())), payload())),
        argumentSet(
            "crit URN",
            rsaSigned(
                header(
                    Map.of(
                        "crit",
                        List.of("urn:example:must-understand"),
                        "urn:example:must-understand",
                        true)),
                payload())),
        argumentSet(
            "crit naming an absent parameter",
            rsaSigned(header(Map.of("crit", List.of("x-absent"))), payload())),
        argumentSet(
            "crit a string", rsaSigned(header(Map.of("crit", "exp", "exp", 1)), payload())));
  }

  @ParameterizedTest
  @MethodSource("unknownCriticalHeaders")
  void rejectsUnknownCriticalHeader(String token) {
    assertRejected(token);
  }

  @Test
  void rejectsUnencodedPayloadOption() {
    // RFC 7797: b64=false signs the payload as is; an access token never uses it
    String header = json(header(Map.of("b64", false, "crit", List.of("b64"))));
    String payload = b64(json(payload()));
    String input = b64(header) + "." + payload;
    try {
      var signature =
          RSA_SIGNER.sign(
              new JWSHeader(JWSAlgorithm.PS256), input.getBytes(StandardCharsets.US_ASCII));
      assertRejected(input + "." + signature);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static Stream<Arguments> duplicateMembers() {
    String header = json(header(Map.of()));
    String payload = json(payload());
    String sub = "\"sub\":\"" + SUBJECT + "\"";
    String otherSub = "\"sub\":\"" + UUID.randomUUID() + "\"";
    return Stream.of(
        argumentSet(
            "payload sub twice", rsaSigned(header, payload.replace(sub, sub + "," + otherSub))),
        argumentSet(
            "payload sub twice, second escaped",
            rsaSigned(
                header, payload.replace(sub, sub + "," + otherSub.replace("sub", "\\u0073ub")))),
        argumentSet(
            "payload aud twice",
            rsaSigned(
                header,
                payload.replace(
                    "\"aud\":\"portcullis\"", "\"aud\":\"portcullis\",\"aud\":\"billing\""))),
        argumentSet(
            "payload exp twice",
            rsaSigned(
                header,
                payload.replace(
                    sub, sub + ",\"exp\":" + NOW.plus(Duration.ofDays(365)).getEpochSecond()))),
        argumentSet(
            "payload groups twice",
            rsaSigned(header, payload.replace(sub, sub + ",\"groups\":[\"admin\"]"))),
        argumentSet(
            "header alg twice, PS256 first",
            rsaSigned(
                header.replace("\"alg\":\"PS256\"", "\"alg\":\"PS256\",\"alg\":\"none\""),
                payload)),
        argumentSet(
            "header alg twice, none first",
            rsaSigned(
                header.replace("\"alg\":\"PS256\"", "\"alg\":\"none\",\"alg\":\"PS256\""),
                payload)),
        argumentSet(
            "header kid twice",
            rsaSigned(header.replace("\"kid\":", "\"kid\":\"other\",\"kid\":"), payload)),
        argumentSet(
            "header typ twice",
            rsaSigned(header.replace("\"typ\":", "\"typ\":\"JWT\",\"typ\":"), payload)));
  }

  /** RFC 7515 5.2 / RFC 8725 3.x: a parser must reject, not pick the first or the last. */
  @ParameterizedTest
  @MethodSource("duplicateMembers")
  void rejectsDuplicateJsonMembers(String token) {
    assertThat(token).as("the duplicate is really in the token").isNotEqualTo(rsaSigned(payload()));
    assertRejected(token);
  }

  static Stream<Arguments> forgedEcdsaSignatures() {
    String input = b64(json(ecHeader())) + "." + b64(json(payload()));
    byte[] order = unsigned(((ECPublicKey) EC.getPublic()).getParams().getOrder(), 32);
    byte[] orderTwice = new byte[64];
    System.arraycopy(order, 0, orderTwice, 0, 32);
    System.arraycopy(order, 0, orderTwice, 32, 32);
    byte[] valid = new Base64URL(ecSigned(payload()).split("\\.")[2]).decode();
    byte[] der;
    try {
      der = ECDSA.transcodeSignatureToDER(valid);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return Stream.of(
        argumentSet("all-zero r and s (CVE-2022-21449)", input + "." + b64(new byte[64])),
        argumentSet(
            "DER-encoded zero r and s", input + "." + b64(new byte[] {0x30, 6, 2, 1, 0, 2, 1, 0})),
        argumentSet("r = s = curve order", input + "." + b64(orderTwice)),
        argumentSet("valid signature DER-encoded (RFC 7518 3.4)", input + "." + b64(der)),
        argumentSet("63 bytes", input + "." + b64(Arrays.copyOf(valid, 63))),
        argumentSet("65 bytes", input + "." + b64(Arrays.copyOf(valid, 65))),
        argumentSet("one byte", input + "." + b64(new byte[1])));
  }

  @ParameterizedTest
  @MethodSource("forgedEcdsaSignatures")
  void rejectsForgedOrMalformedEcdsaSignatures(String token) {
    assertRejected(token);
  }

  // ---------------------------------------------------------------------------------------------
  // Structure: tampering, serializations, encodings (RFC 7515 7, RFC 8725 3.4, 3.10).

  static Stream<Arguments> tamperedTokens() throws Exception {
    String token = TOKENS.issue(SUBJECT, "alice", Set.of("user"), "sid-1").value();
    String other = TOKENS.issue(UUID.randomUUID(), "mallory", Set.of("user"), "sid-2").value();
    String[] parts = token.split("\\.");
    var escalated = TokenForge.members(parts[1]);
    escalated.put("groups", List.of("user", "admin"));
    var longer = TokenForge.members(parts[1]);
    longer.put("exp", ((Number) longer.get("exp")).longValue() + 3600);
    var header = TokenForge.members(parts[0]);
    header.put("alg", "RS256");
    byte[] signature = new Base64URL(parts[2]).decode();
    byte[] flipped = signature.clone();
    flipped[flipped.length / 2] ^= 1;
    return Stream.of(
        argumentSet("groups escalated", parts[0] + "." + b64(json(escalated)) + "." + parts[2]),
        argumentSet("exp extended", parts[0] + "." + b64(json(longer)) + "." + parts[2]),
        argumentSet("header alg changed", b64(json(header)) + "." + parts[1] + "." + parts[2]),
        argumentSet(
            "payload of another token", parts[0] + "." + other.split("\\.")[1] + "." + parts[2]),
        argumentSet(
            "signature of another token", parts[0] + "." + parts[1] + "." + other.split("\\.")[2]),
        argumentSet("one signature bit flipped", parts[0] + "." + parts[1] + "." + b64(flipped)),
        argumentSet(
            "signature truncated", parts[0] + "." + parts[1] + "." + parts[2].substring(0, 300)),
        argumentSet("signature stripped, dot kept", parts[0] + "." + parts[1] + "."),
        argumentSet("signature stripped", parts[0] + "." + parts[1]),
        argumentSet(
            "signature replaced by the header", parts[0] + "." + parts[1] + "." + parts[0]));
  }

  @ParameterizedTest
  @MethodSource("tamperedTokens")
  void rejectsTamperedTokens(String token) {
    assertRejected(token);
  }

  static Stream<Arguments> otherSerializations() throws Exception {
    String valid = rsaSigned(payload());
    var claims = JWTClaimsSet.parse(payload());
    var jwe =
        new JWEObject(
            new JWEHeader.Builder(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM)
                .type(AT_JWT)
                .keyID(RSA_KID)
                .build(),
            new Payload(claims.toJSONObject()));
    jwe.encrypt(new RSAEncrypter((RSAPublicKey) RSA.getPublic()));
    var nestedJwe =
        new JWEObject(
            new JWEHeader.Builder(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM)
                .contentType("JWT")
                .keyID(RSA_KID)
                .build(),
            new Payload(valid));
    nestedJwe.encrypt(new RSAEncrypter((RSAPublicKey) RSA.getPublic()));
    String junk = b64("junk");
    String pbes2 =
        b64(
                json(
                    Map.of(
                        "alg", "PBES2-HS512+A256KW",
                        "enc", "A256GCM",
                        "p2c", Integer.MAX_VALUE,
                        "p2s", b64("salt"),
                        "zip", "DEF")))
            + "."
            + String.join(".", junk, junk, junk, junk);
    String[] parts = valid.split("\\.");
    String urlSafe = tokenWithDashAndUnderscore();
    return Stream.of(
        argumentSet("JWE (RSA-OAEP-256) to our key", jwe.serialize()),
        argumentSet("JWE wrapping a valid signed token", nestedJwe.serialize()),
        argumentSet("JWE PBES2 with a huge p2c and zip", pbes2),
        argumentSet("flattened JWS JSON serialization", TokenForge.flattenedJson(valid)),
        argumentSet("general JWS JSON serialization", TokenForge.generalJson(valid)),
        argumentSet("leading space", " " + valid),
        argumentSet("trailing space", valid + " "),
        argumentSet("trailing newline", valid + "\n"),
        argumentSet("tab inside", parts[0] + ".\t" + parts[1] + "." + parts[2]),
        argumentSet(
            "line break in the signature", valid.substring(0, 300) + "\r\n" + valid.substring(300)),
        argumentSet("padding on the header", parts[0] + "==." + parts[1] + "." + parts[2]),
        argumentSet("padding on the signature", valid + "=="),
        argumentSet("standard base64 alphabet", urlSafe.replace('-', '+').replace('_', '/')),
        argumentSet("four parts", valid + "." + parts[2]),
        argumentSet("two parts", parts[0] + "." + parts[1]),
        argumentSet("empty header", "." + parts[1] + "." + parts[2]),
        argumentSet("Bearer prefix kept", "Bearer " + valid),
        argumentSet("empty", ""),
        argumentSet("empty payload", parts[0] + ".." + parts[2]),
        argumentSet("only dots", ".."),
        argumentSet("percent-encoded", urlSafe.replace("-", "%2D").replace("_", "%5F")));
  }

  @ParameterizedTest
  @MethodSource("otherSerializations")
  void rejectsAnythingButTheCompactJwsSerialization(String token) {
    assertRejected(token);
  }

  /** A valid token whose encoding uses both URL-safe characters, to re-encode them. */
  private static String tokenWithDashAndUnderscore() {
    for (int i = 0; ; i++) {
      String token = rsaSigned(with(payload(), "jti", "jti-" + i));
      if (token.contains("-") && token.contains("_")) {
        assertAccepted(token);
        return token;
      }
    }
  }

  @Test
  void rejectsNull() {
    assertRejected(null);
  }

  static Stream<Arguments> partsThatAreNotJsonObjects() throws Exception {
    String header = json(header(Map.of()));
    String valid = rsaSigned(payload());
    var nestedJws = sign(json(header(Map.of("cty", "JWT"))), valid, JWSAlgorithm.PS256, RSA_SIGNER);
    return Stream.of(
        argumentSet("payload null", rsaSigned(header, "null")),
        argumentSet("payload empty array", rsaSigned(header, "[]")),
        argumentSet("payload string", rsaSigned(header, "\"" + SUBJECT + "\"")),
        argumentSet("payload number", rsaSigned(header, "42")),
        argumentSet("payload not JSON", rsaSigned(header, "sub=" + SUBJECT)),
        argumentSet("payload truncated JSON", rsaSigned(header, json(payload()).substring(0, 40))),
        argumentSet(
            "payload JSON with trailing garbage", rsaSigned(header, json(payload()) + "}x")),
        argumentSet(
            "payload not UTF-8",
            b64(header)
                + "."
                + TokenForge.b64(new byte[] {(byte) 0xC3, (byte) 0x28, '{', '}'})
                + ".AAAA"),
        argumentSet(
            "payload 2800 nested arrays, signed by the ring key",
            rsaSigned(header, TokenForge.nestedArrays(2800))),
        argumentSet(
            "payload claim with 2400 nested arrays, signed by the ring key",
            rsaSigned(
                header,
                json(payload())
                    .replace("\"upn\":\"alice\"", "\"upn\":" + TokenForge.nestedArrays(2400)))),
        argumentSet(
            "header 2400 nested arrays",
            assemble(
                header.replace("\"typ\":\"at+jwt\"", "\"typ\":" + TokenForge.nestedArrays(2400)),
                json(payload()),
                "AAAA")),
        argumentSet("header null", assemble("null", json(payload()), "AAAA")),
        argumentSet("header array", assemble("[]", json(payload()), "AAAA")),
        argumentSet("header string", assemble("\"PS256\"", json(payload()), "AAAA")),
        argumentSet("header not JSON", assemble("alg=PS256", json(payload()), "AAAA")),
        argumentSet(
            "header not UTF-8",
            TokenForge.b64(new byte[] {(byte) 0xFF, '{'}) + "." + b64("{}") + ".AAAA"),
        argumentSet("nested JWT (cty JWT) signed by the ring key", nestedJws));
  }

  @ParameterizedTest
  @MethodSource("partsThatAreNotJsonObjects")
  void rejectsHeaderOrPayloadThatIsNotAJsonObject(String token) {
    assertThat(token)
        .as("reaches the JSON parser: compact and not too long")
        .hasSizeLessThanOrEqualTo(AccessTokens.MAX_TOKEN_LENGTH)
        .matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    assertRejected(token);
  }

  // ---------------------------------------------------------------------------------------------
  // Fixtures

  private static AccessToken assertAccepted(String token) {
    try {
      return TOKENS.verify(token);
    } catch (InvalidTokenException e) {
      return fail("expected the token to be accepted, but: " + e.getMessage());
    }
  }

  /** Refused with {@link InvalidTokenException} only, not called expired, and quickly. */
  private static void assertRejected(String token) {
    long start = System.nanoTime();
    assertThatThrownBy(() -> TOKENS.verify(token))
        .isExactlyInstanceOf(InvalidTokenException.class)
        .satisfies(
            e -> assertThat(((InvalidTokenException) e).expired()).as("expired()").isFalse());
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  /** Valid access-token claims at {@link #NOW}, ready to be broken one at a time. */
  private static Map<String, Object> payload() {
    var claims = new LinkedHashMap<String, Object>();
    claims.put("iss", ISSUER);
    claims.put("sub", SUBJECT.toString());
    claims.put("aud", AUDIENCE);
    claims.put("exp", NOW.plus(TTL).getEpochSecond());
    claims.put("iat", NOW.getEpochSecond());
    claims.put("nbf", NOW.getEpochSecond());
    claims.put("jti", "jti-1");
    claims.put("scope", "api");
    claims.put("client_id", "portcullis");
    claims.put("sid", "sid-1");
    claims.put("upn", "alice");
    claims.put("groups", List.of("user"));
    return claims;
  }

  private static Map<String, Object> times(Instant iat, Instant nbf, Instant exp) {
    var claims = payload();
    claims.put("iat", iat.getEpochSecond());
    claims.put("nbf", nbf.getEpochSecond());
    claims.put("exp", exp.getEpochSecond());
    return claims;
  }

  /** A valid PS256 header for the ring's RSA key, with {@code changes} applied. */
  private static Map<String, Object> header(Map<String, ?> changes) {
    var header = new LinkedHashMap<String, Object>();
    header.put("alg", "PS256");
    header.put("typ", "at+jwt");
    header.put("kid", RSA_KID);
    header.putAll(changes);
    return header;
  }

  private static Map<String, Object> ecHeader() {
    return header(Map.of("alg", "ES256", "kid", EC_KID));
  }

  private static Map<String, Object> with(Map<String, Object> members, String name, Object value) {
    members.put(name, value);
    return members;
  }

  private static Map<String, Object> without(Map<String, Object> members, String name) {
    members.remove(name);
    return members;
  }

  private static String rsaSigned(Map<String, Object> payload) {
    return rsaSigned(header(Map.of()), payload);
  }

  private static String rsaSigned(Map<String, Object> header, Map<String, Object> payload) {
    return rsaSigned(json(header), json(payload));
  }

  private static String rsaSigned(String header, String payload) {
    return sign(header, payload, JWSAlgorithm.PS256, RSA_SIGNER);
  }

  private static String ecSigned(Map<String, Object> payload) {
    return sign(json(ecHeader()), json(payload), JWSAlgorithm.ES256, EC_SIGNER);
  }

  private static KeyRing ring() {
    var activated = NOW.minus(Duration.ofDays(1));
    return new KeyRing(
        List.of(
            new KeyRing.Entry(RSA_KID, "PS256", RSA_JWK, activated, null),
            new KeyRing.Entry(EC_KID, "ES256", jose4jKey(EC, EC_KID, "ES256"), activated, null)),
        TTL.plus(LEEWAY));
  }

  private static PublicJsonWebKey jose4jKey(KeyPair keys, String kid, String algorithm) {
    try {
      var jwk = PublicJsonWebKey.Factory.newPublicJwk(keys.getPublic());
      jwk.setPrivateKey(keys.getPrivate());
      jwk.setKeyId(kid);
      jwk.setAlgorithm(algorithm);
      jwk.setUse("sig");
      return jwk;
    } catch (JoseException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String thumbprint(KeyPair keys) {
    try {
      return new RSAKey.Builder((RSAPublicKey) keys.getPublic())
          .build()
          .computeThumbprint()
          .toString();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String ecThumbprint(KeyPair keys) {
    try {
      return new ECKey.Builder(Curve.P_256, (ECPublicKey) keys.getPublic())
          .build()
          .computeThumbprint()
          .toString();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JWSSigner ecSigner(KeyPair keys) {
    try {
      return new ECDSASigner((ECPrivateKey) keys.getPrivate());
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JWSSigner macSigner(byte[] secret) {
    try {
      return new MACSigner(secret);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    return bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
  }

  private static byte[] unsigned(BigInteger value, int length) {
    byte[] bytes = unsigned(value);
    byte[] padded = new byte[length];
    System.arraycopy(bytes, 0, padded, length - bytes.length, bytes.length);
    return padded;
  }

  private static Settings settings() {
    return SettingsProducer.read(
        new MapConfig(
            Map.of(
                "portcullis.issuer",
                ISSUER,
                "portcullis.token.audience",
                AUDIENCE,
                "portcullis.token.algorithm",
                "PS256",
                "portcullis.token.access-ttl",
                TTL.toString(),
                "portcullis.token.clock-leeway",
                LEEWAY.toString())));
  }

  /** The smallest {@link Config}: string and boolean values from a map. */
  private record MapConfig(Map<String, String> values) implements Config {

    @Override
    public <T> T getValue(String name, Class<T> type) {
      return getOptionalValue(name, type).orElseThrow(() -> new NoSuchElementException(name));
    }

    @Override
    public ConfigValue getConfigValue(String name) {
      throw new UnsupportedOperationException();
    }

    @Override
    public <T> Optional<T> getOptionalValue(String name, Class<T> type) {
      String value = values.get(name);
      if (value == null) {
        return Optional.empty();
      }
      if (type == String.class) {
        return Optional.of(type.cast(value));
      }
      if (type == Boolean.class) {
        return Optional.of(type.cast(Boolean.valueOf(value)));
      }
      throw new IllegalArgumentException("no converter for " + type);
    }

    @Override
    public Iterable<String> getPropertyNames() {
      return values.keySet();
    }

    @Override
    public Iterable<ConfigSource> getConfigSources() {
      return List.of();
    }

    @Override
    public <T> Optional<Converter<T>> getConverter(Class<T> type) {
      return Optional.empty();
    }

    @Override
    public <T> T unwrap(Class<T> type) {
      throw new IllegalArgumentException();
    }
  }
}
