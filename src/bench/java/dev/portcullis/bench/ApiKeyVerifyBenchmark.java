package dev.portcullis.bench;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.portcullis.apikey.ApiKeyFormat;
import dev.portcullis.apikey.ApiKeyRecord;
import dev.portcullis.apikey.ApiKeyVerifier;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * API-key verification through {@link ApiKeyVerifier#verify}, as {@code ApiKeyService.verify} runs
 * it on a cache hit: format and CRC-32 checksum, the record look-up, the SHA-256 of the secret and
 * the constant-time comparison ({@link MessageDigest#isEqual}), then revocation and expiry.
 *
 * <p>4,096 distinct valid keys in turn. The look-up is a Caffeine cache sized and timed like the
 * service's (100,000 entries, 30 s after write), loaded from an in-memory map during set-up, so
 * every call is a hit; the database is not involved.
 */
@State(Scope.Thread)
public class ApiKeyVerifyBenchmark {

  // a power of two: the index wraps with a mask
  private static final int KEYS = 4096;

  private final Clock clock = Clock.systemUTC();
  private final String[] presented = new String[KEYS];
  private ApiKeyVerifier verifier;
  private int next;

  @Setup
  public void setUp() {
    var stored = new HashMap<String, ApiKeyRecord>();
    for (int i = 0; i < KEYS; i++) {
      var key = ApiKeyFormat.generate();
      presented[i] = key.value();
      stored.put(
          key.id(),
          new ApiKeyRecord(
              key.id(),
              UUID.randomUUID(),
              Set.of("user"),
              null,
              ApiKeyVerifier.hash(key.secret()),
              null,
              null,
              null,
              null));
    }
    LoadingCache<String, Optional<ApiKeyRecord>> cache =
        Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(Duration.ofSeconds(30))
            .build(id -> Optional.ofNullable(stored.get(id)));
    verifier = new ApiKeyVerifier(cache::get, MessageDigest::isEqual);
    for (String key : presented) {
      if (!verifier.verify(key, clock.instant()).valid()) {
        throw new IllegalStateException("a benchmark key does not verify");
      }
    }
  }

  @Benchmark
  public ApiKeyVerifier.Outcome verify() {
    return verifier.verify(presented[next++ & (KEYS - 1)], clock.instant());
  }
}
