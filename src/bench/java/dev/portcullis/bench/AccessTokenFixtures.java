package dev.portcullis.bench;

import com.github.benmanes.caffeine.cache.Cache;
import dev.portcullis.config.MapConfig;
import dev.portcullis.config.SettingsProducer;
import dev.portcullis.token.AccessTokens;
import dev.portcullis.token.KeyRing;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/**
 * {@link AccessTokens} built as the server builds it, without CDI or a database: default settings
 * except the signing algorithm, the system clock, and a one-key {@link KeyRing} with a key made the
 * way {@code SigningKeys} makes one (RSA 2048 for PS256 and RS256, P-256 for ES256, the RFC 7638
 * thumbprint as {@code kid}).
 */
final class AccessTokenFixtures {

  private AccessTokenFixtures() {}

  /** Access tokens signed and verified with a fresh key for {@code algorithm}. */
  static AccessTokens forAlgorithm(String algorithm) throws JoseException {
    PublicJsonWebKey jwk =
        "ES256".equals(algorithm)
            ? EcJwkGenerator.generateJwk(EllipticCurves.P256)
            : RsaJwkGenerator.generateJwk(2048);
    String kid = jwk.calculateBase64urlEncodedThumbprint("SHA-256");
    jwk.setKeyId(kid);
    jwk.setAlgorithm(algorithm);
    var settings =
        SettingsProducer.read(new MapConfig(Map.of("portcullis.token.algorithm", algorithm)));
    var ring =
        new KeyRing(
            List.of(new KeyRing.Entry(kid, algorithm, jwk, Instant.now().minusSeconds(60), null)),
            settings.maxTokenLifetime());
    return new AccessTokens(settings, Clock.systemUTC(), () -> ring);
  }

  /** {@code count} distinct tokens, as a login would issue them (subject, sid and jti differ). */
  static String[] issue(AccessTokens tokens, int count) {
    var issued = new String[count];
    for (int i = 0; i < count; i++) {
      issued[i] =
          tokens
              .issue(UUID.randomUUID(), "user" + i, Set.of("user"), UUID.randomUUID().toString())
              .value();
    }
    return issued;
  }

  /**
   * The private verified-token cache of {@code tokens}, reached by reflection so that production
   * code carries no benchmark hook. Fails at set-up, not silently, if the field is renamed.
   */
  static Cache<?, ?> verifiedCache(AccessTokens tokens) throws ReflectiveOperationException {
    var field = AccessTokens.class.getDeclaredField("verified");
    field.setAccessible(true);
    return (Cache<?, ?>) field.get(tokens);
  }
}
