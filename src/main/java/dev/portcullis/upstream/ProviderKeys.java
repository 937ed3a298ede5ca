package dev.portcullis.upstream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.net.http.HttpRequest;
import java.security.Key;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * The signing keys of each OpenID provider, from its {@code jwks_uri}, kept per provider: a key of
 * one provider never verifies another's token (the key sets are partitioned by provider id, and
 * nothing from a token's header — {@code jwk}, {@code jku}, {@code x5u}, {@code x5c} — is ever
 * used). Only public RSA and EC keys meant for signatures are kept. A {@code kid} not in the set
 * refetches it, at most once per {@code portcullis.upstream.keys-refresh-interval} per provider, so
 * tokens with made-up key ids cannot make Portcullis flood the provider; the set is also refetched
 * after a day. Thread-safe.
 */
@ApplicationScoped
public class ProviderKeys {

  static final Duration MAX_AGE = Duration.ofDays(1);

  @Inject UpstreamHttp http;
  @Inject UpstreamSettings settings;
  @Inject Clock clock;

  private record KeySet(List<PublicJsonWebKey> keys, Instant fetchedAt) {}

  private final Map<String, KeySet> sets = new ConcurrentHashMap<>();

  /**
   * The provider's key with this {@code kid} (any key when the token names none and the set holds
   * exactly one usable key), refetching the set at most once per interval when it is unknown.
   */
  Optional<PublicJsonWebKey> find(
      UpstreamProvider provider, ProviderEndpoints endpoints, String kid) {
    Instant now = clock.instant();
    KeySet set = sets.get(provider.id());
    if (set == null || !now.isBefore(set.fetchedAt().plus(MAX_AGE))) {
      set = refresh(provider, endpoints, now);
    }
    var key = select(set, kid);
    if (key.isEmpty() && !now.isBefore(set.fetchedAt().plus(settings.keysRefreshInterval()))) {
      key = select(refresh(provider, endpoints, now), kid);
    }
    return key;
  }

  private synchronized KeySet refresh(
      UpstreamProvider provider, ProviderEndpoints endpoints, Instant now) {
    KeySet current = sets.get(provider.id());
    if (current != null && now.isBefore(current.fetchedAt().plus(settings.keysRefreshInterval()))) {
      return current;
    }
    var answer = http.exchange(HttpRequest.newBuilder(endpoints.keys()).GET(), "keys");
    if (answer.status() != 200 || !(answer.json() instanceof JsonObject json)) {
      throw new SignInRefusedException("keys_status_" + answer.status());
    }
    List<PublicJsonWebKey> keys;
    try {
      keys =
          new JsonWebKeySet(json.toString())
              .getJsonWebKeys().stream()
                  .filter(ProviderKeys::usableForSignatures)
                  .map(PublicJsonWebKey.class::cast)
                  .toList();
    } catch (JoseException | RuntimeException e) {
      // jose4j throws ClassCastException and the like on a set of the wrong shape
      throw new SignInRefusedException("keys_malformed");
    }
    var set = new KeySet(keys, now);
    sets.put(provider.id(), set);
    return set;
  }

  private static boolean usableForSignatures(JsonWebKey key) {
    if (!(key instanceof PublicJsonWebKey publicKey) || publicKey.getPrivateKey() != null) {
      return false;
    }
    String use = key.getUse();
    Key k = publicKey.getPublicKey();
    return (use == null || use.equals("sig"))
        && (k instanceof java.security.interfaces.RSAPublicKey
            || k instanceof java.security.interfaces.ECPublicKey);
  }

  private static Optional<PublicJsonWebKey> select(KeySet set, String kid) {
    if (kid == null) {
      return set.keys().size() == 1 ? Optional.of(set.keys().get(0)) : Optional.empty();
    }
    return set.keys().stream().filter(k -> kid.equals(k.getKeyId())).findFirst();
  }
}
