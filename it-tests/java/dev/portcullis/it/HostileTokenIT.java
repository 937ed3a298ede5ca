package dev.portcullis.it;

import static dev.portcullis.it.Api.bearer;
import static dev.portcullis.testing.TokenForge.assemble;
import static dev.portcullis.testing.TokenForge.b64;
import static dev.portcullis.testing.TokenForge.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.sun.net.httpserver.HttpServer;
import dev.portcullis.testing.TokenForge;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sends hostile access tokens to the real WAR and checks each gets the same clean refusal: 401, an
 * RFC 6750 challenge with {@code error="invalid_token"}, a problem+json body with code {@code
 * INVALID_TOKEN} that does not echo the token, and never a 5xx (SECURITY.md "JOSE / JWT", SPEC 3.1,
 * 3.2). Also checks, with nimbus-jose-jwt, that a real access token verifies against the published
 * JWKS and that the JWKS holds no private key material.
 *
 * <p>Every attack is built with nimbus-jose-jwt from the server's own JWKS and a real token, so
 * each differs from an accepted token by the one thing under attack; the real token is shown to
 * still work afterwards.
 *
 * <p>Attacks go over HTTP/1.1 (what reverse proxies speak to a back end) and, when small, over
 * HTTP/2 too. Large ones stay off HTTP/2 on purpose: Payara Micro's cleartext HTTP/2 answers 431 to
 * a header block over about 4 KB and resets the stream above about 5 KB, and after such a reset its
 * HTTP/2 requests keep failing with 431 at random, on new connections too, which would break every
 * other test sharing the server. Over HTTP/1.1 the container's limit is 8 KB per header block.
 */
@ExtendWith(SharedServer.class)
class HostileTokenIT {

  private static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth");

  /** Payara Micro's h2c answers 431 to a header block over about 4 KB (see class notes). */
  private static final int H2C_HEADER_LIMIT = 3500;

  private static final KeyPair ATTACKER = TokenForge.rsaKeyPair();
  private static final JWSSigner ATTACKER_SIGNER = new RSASSASigner(ATTACKER.getPrivate());

  /** Stands in for an attacker's web server: counts what a {@code jku}/{@code x5u} would fetch. */
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

  @Test
  void jwksPublishesOnlyPublicKeys(Api api) throws Exception {
    var reply = api.get("/.well-known/jwks.json");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("Content-Type")).startsWith("application/jwk-set+json");
    var keys = reply.json().getJsonArray("keys");
    assertThat(keys).isNotEmpty();
    for (var key : keys.getValuesAs(JsonObject.class)) {
      assertThat(key.keySet())
          .as("members of %s", key)
          .doesNotContainAnyElementsOf(PRIVATE_MEMBERS);
      assertThat(key.keySet()).contains("kty", "kid", "alg").doesNotContain("k");
    }
    assertThat(JWKSet.parse(reply.body()).getKeys())
        .allSatisfy(k -> assertThat(k.isPrivate()).isFalse());

    String kid = TokenForge.members(api.adminToken().split("\\.")[0]).get("kid").toString();
    assertThat(JWKSet.parse(reply.body()).getKeyByKeyId(kid)).as("the signing key").isNotNull();
  }

  @Test
  void realAccessTokenVerifiesWithAnIndependentLibraryAgainstTheJwks(Api api) throws Exception {
    String token = api.adminToken();
    String issuer = TokenForge.members(token.split("\\.")[1]).get("iss").toString();
    var processor = new DefaultJWTProcessor<SecurityContext>();
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
    processor.setJWSKeySelector(
        new JWSVerificationKeySelector<>(
            JWSAlgorithm.PS256,
            JWKSourceBuilder.<SecurityContext>create(
                    URI.create(api.baseUrl() + "/.well-known/jwks.json").toURL())
                .retrying(false)
                .build()));
    processor.setJWTClaimsSetVerifier(
        new DefaultJWTClaimsVerifier<>(
            "portcullis",
            new JWTClaimsSet.Builder().issuer(issuer).build(),
            Set.of(
                "sub", "exp", "iat", "nbf", "jti", "scope", "client_id", "sid", "upn", "groups")));

    var claims = processor.process(token, null);

    var me = api.get("/api/v1/me", "Authorization", bearer(token)).json();
    assertThat(claims.getSubject()).isEqualTo(me.getString("id"));
    assertThat(claims.getStringClaim("upn")).isEqualTo(api.server().adminUsername());
    assertThat(claims.getStringListClaim("groups")).contains("admin");
    assertThat(
            Duration.between(
                claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
        .isEqualTo(Duration.ofMinutes(15));
    // and the same processor is not a pushover: a tampered copy fails it
    String[] parts = token.split("\\.");
    var escalated = TokenForge.members(parts[1]);
    escalated.put("sub", "00000000-0000-0000-0000-000000000000");
    assertThatThrownBy(
            () -> processor.process(parts[0] + "." + b64(json(escalated)) + "." + parts[2], null))
        .isInstanceOf(BadJOSEException.class);
  }

  @Test
  void everyHostileTokenGetsTheSame401AndTheRealTokenStillWorks(Api api) throws Exception {
    String real = api.adminToken();
    var attacks = attacks(real, api.get("/.well-known/jwks.json").body());
    assertThat(attacks).hasSizeGreaterThan(30);

    var softly = new SoftAssertions();
    for (var attack : attacks.entrySet()) {
      assertRefused(softly, api, attack.getKey(), attack.getValue());
    }
    softly
        .assertThat(ATTACKER_SITE_HITS.get())
        .as("requests to the jku/x5u attacker site")
        .isZero();

    // the control: the token every attack was built from is accepted
    var me = api.get("/api/v1/me", "Authorization", bearer(real));
    softly.assertThat(me.status()).as("the real token").isEqualTo(200);
    softly.assertThat(me.body()).contains(api.server().adminUsername());
    softly.assertAll();
  }

  /**
   * A 20 KB token never reaches the application: the container refuses the header block
   * (SECURITY.md allows a fast 400 for an oversized header). HTTP/1.1 only; see the class notes for
   * HTTP/2.
   */
  @Test
  void tokenWithA20KilobyteHeaderIsRefusedWithout5xx(Api api) {
    String real = api.adminToken();
    String[] parts = real.split("\\.");
    var padded = with(TokenForge.members(parts[0]), "pad", "x".repeat(20 * 1024));
    String token = attackerSigned(padded, TokenForge.decode(parts[1]));

    var reply = api.send(http11(api, "/api/v1/me"), "Authorization", bearer(token));
    assertThat(reply.status()).isIn(400, 401, 413, 431);
    assertThat(reply.body()).doesNotContain(parts[1]).doesNotContain("x".repeat(100));

    assertThat(api.send(http11(api, "/api/v1/me"), "Authorization", bearer(real)).status())
        .isEqualTo(200);
  }

  /** Each attack by name, built from a real token and the published JWKS document. */
  private static Map<String, String> attacks(String real, String jwksJson) throws Exception {
    var jwks = JWKSet.parse(jwksJson);
    String[] parts = real.split("\\.");
    var header = TokenForge.members(parts[0]);
    var claims = TokenForge.members(parts[1]);
    String kid = header.get("kid").toString();
    var ours = (RSAKey) jwks.getKeyByKeyId(kid);
    RSAPublicKey publicKey = ours.toRSAPublicKey();
    String headerJson = json(header);
    String claimsJson = json(claims);
    var attacks = new LinkedHashMap<String, String>();

    // alg none (RFC 8725 3.1)
    for (String none : List.of("none", "None", "NONE", "nOnE")) {
      String noneHeader = json(with(header, "alg", none));
      attacks.put("alg " + none, assemble(noneHeader, claimsJson, ""));
      attacks.put(
          "alg " + none + " with the real signature", assemble(noneHeader, claimsJson, parts[2]));
    }
    var noAlg = new LinkedHashMap<>(header);
    noAlg.remove("alg");
    attacks.put("alg missing", assemble(json(noAlg), claimsJson, parts[2]));

    // algorithm confusion: HMAC keyed with what the JWKS publishes (RFC 8725 2.1)
    String hs256 = json(with(header, "alg", "HS256"));
    byte[] modulus = ours.getModulus().decode();
    String pem = TokenForge.pem(publicKey);
    var hmacKeys = new LinkedHashMap<String, byte[]>();
    hmacKeys.put("modulus bytes", modulus);
    hmacKeys.put("modulus base64url", bytes(ours.getModulus().toString()));
    hmacKeys.put("X.509 DER", publicKey.getEncoded());
    hmacKeys.put("PEM", bytes(pem));
    hmacKeys.put("PEM without final newline", bytes(pem.strip()));
    hmacKeys.put("JWK JSON", bytes(ours.toJSONString()));
    if (jwks.getKeys().size() == 1) {
      hmacKeys.put(
          "JWK JSON as served",
          bytes(
              jwksJson.substring(
                  jwksJson.indexOf('{', 1),
                  jwksJson.lastIndexOf('}', jwksJson.lastIndexOf(']')) + 1)));
    }
    hmacKeys.put("JWKS JSON as served", bytes(jwksJson));
    hmacKeys.forEach(
        (name, secret) ->
            attacks.put(
                "HS256 keyed with the " + name, TokenForge.hs256(hs256, claimsJson, secret)));

    // keys the attacker controls, offered or pointed at by the header
    var attackerJwk = new RSAKey.Builder((RSAPublicKey) ATTACKER.getPublic()).build();
    String site = "http://127.0.0.1:" + attackerSite.getAddress().getPort();
    var certificate = TokenForge.selfSignedCertificate(ATTACKER, "portcullis");
    attacks.put("attacker key, our kid", attackerSigned(header, claimsJson));
    attacks.put(
        "embedded jwk, our kid",
        attackerSigned(with(header, "jwk", attackerJwk.toJSONObject()), claimsJson));
    var jwkOnly = with(header, "jwk", attackerJwk.toJSONObject());
    jwkOnly.remove("kid");
    attacks.put("embedded jwk, no kid", attackerSigned(jwkOnly, claimsJson));
    attacks.put(
        "jku, our kid", attackerSigned(with(header, "jku", site + "/jwks.json"), claimsJson));
    attacks.put(
        "jku, attacker kid",
        attackerSigned(with(with(header, "jku", site + "/jwks.json"), "kid", "evil"), claimsJson));
    attacks.put(
        "x5u, our kid", attackerSigned(with(header, "x5u", site + "/cert.pem"), claimsJson));
    attacks.put(
        "x5c, our kid",
        attackerSigned(
            with(header, "x5c", List.of(Base64.encode(certificate.getEncoded()).toString())),
            claimsJson));

    // kid as an injection vector or a miss (signed by the attacker: we cannot sign as the server)
    attacks.put("unknown kid", attackerSigned(with(header, "kid", "no-such-key"), claimsJson));
    attacks.put(
        "kid path traversal", attackerSigned(with(header, "kid", "../../etc/passwd"), claimsJson));
    attacks.put(
        "kid SQL injection", attackerSigned(with(header, "kid", "' OR 1=1 --"), claimsJson));
    attacks.put(
        "kid JNDI lookup",
        attackerSigned(with(header, "kid", "${jndi:ldap://127.0.0.1/a}"), claimsJson));
    attacks.put(
        "ES256 all-zero signature (CVE-2022-21449)",
        assemble(json(with(header, "alg", "ES256")), claimsJson, b64(new byte[64])));

    // tampering with a genuinely signed token
    var escalated = new LinkedHashMap<>(claims);
    escalated.put("groups", List.of("admin", "user", "superuser"));
    attacks.put("groups tampered", parts[0] + "." + b64(json(escalated)) + "." + parts[2]);
    var otherUser = new LinkedHashMap<>(claims);
    otherUser.put("sub", "00000000-0000-0000-0000-000000000001");
    attacks.put("sub tampered", parts[0] + "." + b64(json(otherUser)) + "." + parts[2]);
    var longer = new LinkedHashMap<>(claims);
    longer.put("exp", ((Number) claims.get("exp")).longValue() + 86_400);
    attacks.put("exp tampered", parts[0] + "." + b64(json(longer)) + "." + parts[2]);
    attacks.put(
        "typ tampered", b64(json(with(header, "typ", "JWT"))) + "." + parts[1] + "." + parts[2]);
    attacks.put("signature stripped", parts[0] + "." + parts[1] + ".");
    attacks.put("signature removed", parts[0] + "." + parts[1]);
    byte[] flipped = new Base64URL(parts[2]).decode();
    flipped[0] ^= 1;
    attacks.put("signature bit flipped", parts[0] + "." + parts[1] + "." + b64(flipped));

    // other serializations and encodings of the real, validly signed token
    attacks.put("flattened JWS JSON serialization", TokenForge.flattenedJson(real));
    attacks.put("general JWS JSON serialization", TokenForge.generalJson(real));
    attacks.put("padded signature", real + "==");
    attacks.put("padded header", parts[0] + "=." + parts[1] + "." + parts[2]);
    if (real.contains("-") || real.contains("_")) {
      attacks.put("standard base64 alphabet", real.replace('-', '+').replace('_', '/'));
    }
    attacks.put("four parts", real + "." + parts[2]);
    var jwe =
        new JWEObject(
            new JWEHeader.Builder(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM)
                .type(new JOSEObjectType("at+jwt"))
                .keyID(kid)
                .build(),
            new Payload(claimsJson));
    jwe.encrypt(new RSAEncrypter(publicKey));
    attacks.put("JWE of the claims to our key", jwe.serialize());
    var nested =
        new JWEObject(
            new JWEHeader.Builder(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM)
                .contentType("JWT")
                .keyID(kid)
                .build(),
            new Payload(real));
    nested.encrypt(new RSAEncrypter(publicKey));
    attacks.put("JWE wrapping the real token", nested.serialize());

    // size and nesting: fast refusals, no stack overflow
    attacks.put(
        "deeply nested header",
        assemble(
            headerJson.replace("\"at+jwt\"", TokenForge.nestedArrays(2400)), claimsJson, parts[2]));
    attacks.put("deeply nested payload", attackerSigned(header, TokenForge.nestedArrays(2400)));
    return attacks;
  }

  /**
   * Sends {@code token} over HTTP/1.1 and, when its header fits Payara's h2c limit, over HTTP/2 as
   * well, and records every way the answer differs from the one clean refusal.
   */
  private static void assertRefused(SoftAssertions softly, Api api, String name, String token) {
    assertRefused(
        softly,
        name + " (HTTP/1.1)",
        token,
        () -> api.send(http11(api, "/api/v1/me"), "Authorization", bearer(token)));
    if (token.length() < H2C_HEADER_LIMIT) {
      assertRefused(
          softly,
          name + " (HTTP/2)",
          token,
          () -> api.get("/api/v1/me", "Authorization", bearer(token)));
    }
  }

  private static void assertRefused(
      SoftAssertions softly, String name, String token, Supplier<Api.Reply> request) {
    Api.Reply reply;
    try {
      reply = request.get();
    } catch (UncheckedIOException e) {
      softly.fail(name + ": no HTTP answer: " + e.getMessage());
      return;
    }
    String described = name + " -> " + reply.status() + " " + reply.body();
    softly.assertThat(reply.status()).as(described).isEqualTo(401);
    softly
        .assertThat(reply.header("WWW-Authenticate"))
        .as(described)
        .startsWith("Bearer")
        .contains("error=\"invalid_token\"");
    softly
        .assertThat(reply.header("Content-Type"))
        .as(described)
        .startsWith("application/problem+json");
    softly.assertThat(code(reply)).as(described).isEqualTo("INVALID_TOKEN");
    for (String part : fragments(token)) {
      softly.assertThat(reply.body()).as(name + ": body echoes the token").doesNotContain(part);
      softly
          .assertThat(String.valueOf(reply.header("WWW-Authenticate")))
          .as(name + ": challenge echoes the token")
          .doesNotContain(part);
    }
  }

  private static HttpRequest.Builder http11(Api api, String path) {
    return HttpRequest.newBuilder(URI.create(api.baseUrl() + path))
        .version(HttpClient.Version.HTTP_1_1)
        .GET();
  }

  /** The token and every long piece of it, any of which in a response would be an echo. */
  private static List<String> fragments(String token) {
    var fragments = new ArrayList<String>();
    fragments.add(token);
    Arrays.stream(token.split("[.\"{}:,\\[\\] ]"))
        .filter(part -> part.length() >= 20)
        .forEach(fragments::add);
    return fragments;
  }

  private static String code(Api.Reply reply) {
    try {
      return reply.code();
    } catch (RuntimeException notJson) {
      return "(not problem+json)";
    }
  }

  private static String attackerSigned(Map<String, Object> header, String claimsJson) {
    return TokenForge.sign(json(header), claimsJson, JWSAlgorithm.PS256, ATTACKER_SIGNER);
  }

  private static Map<String, Object> with(Map<String, Object> members, String name, Object value) {
    var copy = new LinkedHashMap<>(members);
    copy.put(name, value);
    return copy;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
