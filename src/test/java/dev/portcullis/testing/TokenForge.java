package dev.portcullis.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;

/**
 * Crafts hostile JOSE objects for tests with nimbus-jose-jwt and plain JCA, independently of the
 * jose4j code under test (STYLE.md: attack tokens never come from the code they attack).
 *
 * <p>Most helpers work on raw JSON text, so a test can put anything into a header or payload:
 * duplicate members, wrong types, {@code alg: none}. Stateless and thread-safe.
 */
public final class TokenForge {

  private TokenForge() {}

  /** A fresh RSA 2048 key pair. */
  public static KeyPair rsaKeyPair() {
    try {
      var generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A fresh P-256 key pair. */
  public static KeyPair ecKeyPair() {
    try {
      var generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Base64url (no padding) of the UTF-8 bytes of {@code text}. */
  public static String b64(String text) {
    return b64(text.getBytes(StandardCharsets.UTF_8));
  }

  public static String b64(byte[] bytes) {
    return Base64URL.encode(bytes).toString();
  }

  /** The decoded UTF-8 text of one base64url part. */
  public static String decode(String part) {
    return new Base64URL(part).decodeToString();
  }

  /** JSON text of {@code members}, serialised by nimbus. */
  public static String json(Map<String, ?> members) {
    return JSONObjectUtils.toJSONString(members);
  }

  /** The members of one base64url-encoded JSON object part. */
  public static Map<String, Object> members(String part) {
    try {
      return JSONObjectUtils.parse(decode(part));
    } catch (java.text.ParseException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /**
   * A compact JWS whose header and payload are exactly the given texts, signed by {@code signer}
   * with {@code algorithm} over the standard signing input (RFC 7515 5.1).
   */
  public static String sign(
      String headerJson, String payloadJson, JWSAlgorithm algorithm, JWSSigner signer) {
    String input = b64(headerJson) + "." + b64(payloadJson);
    try {
      return input
          + "."
          + signer.sign(new JWSHeader(algorithm), input.getBytes(StandardCharsets.US_ASCII));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** HS256 over the given header and payload, keyed with {@code secret} (algorithm confusion). */
  public static String hs256(String headerJson, String payloadJson, byte[] secret) {
    try {
      return sign(headerJson, payloadJson, JWSAlgorithm.HS256, new MACSigner(secret));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Header and payload as given, with {@code signature} as the third part verbatim. */
  public static String assemble(String headerJson, String payloadJson, String signature) {
    return b64(headerJson) + "." + b64(payloadJson) + "." + signature;
  }

  /** {@code key} as a PEM {@code PUBLIC KEY} block (SubjectPublicKeyInfo), with final newline. */
  public static String pem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  /** The flattened JWS JSON serialization (RFC 7515 7.2.2) of a compact JWS. */
  public static String flattenedJson(String compact) {
    String[] parts = compact.split("\\.", -1);
    return json(Map.of("protected", parts[0], "payload", parts[1], "signature", parts[2]));
  }

  /** The general JWS JSON serialization (RFC 7515 7.2.1) of a compact JWS. */
  public static String generalJson(String compact) {
    String[] parts = compact.split("\\.", -1);
    return json(
        Map.of(
            "payload",
            parts[1],
            "signatures",
            java.util.List.of(Map.of("protected", parts[0], "signature", parts[2]))));
  }

  /** {@code depth} nested JSON arrays around {@code 1}: {@code [[[1]]]}. */
  public static String nestedArrays(int depth) {
    return "[".repeat(depth) + "1" + "]".repeat(depth);
  }

  /** A self-signed X.509 certificate for {@code keys} (RSA), made with BouncyCastle's ASN.1. */
  public static X509Certificate selfSignedCertificate(KeyPair keys, String commonName) {
    try {
      var name = new X500Name("CN=" + commonName);
      var algorithm =
          new AlgorithmIdentifier(PKCSObjectIdentifiers.sha256WithRSAEncryption, DERNull.INSTANCE);
      var tbs = new V3TBSCertificateGenerator();
      tbs.setSerialNumber(new ASN1Integer(BigInteger.valueOf(System.nanoTime())));
      tbs.setIssuer(name);
      tbs.setSubject(name);
      Instant now = Instant.now();
      tbs.setStartDate(new Time(Date.from(now.minus(Duration.ofDays(1)))));
      tbs.setEndDate(new Time(Date.from(now.plus(Duration.ofDays(3650)))));
      tbs.setSubjectPublicKeyInfo(SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()));
      tbs.setSignature(algorithm);
      var certificate = tbs.generateTBSCertificate();
      var signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(keys.getPrivate());
      signature.update(certificate.getEncoded(ASN1Encoding.DER));
      var sequence = new ASN1EncodableVector();
      sequence.add(certificate);
      sequence.add(algorithm);
      sequence.add(new DERBitString(signature.sign()));
      byte[] der = new DERSequence(sequence).getEncoded(ASN1Encoding.DER);
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
