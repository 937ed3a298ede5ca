package dev.portcullis.bench;

import com.github.benmanes.caffeine.cache.Cache;
import dev.portcullis.token.AccessToken;
import dev.portcullis.token.AccessTokens;
import dev.portcullis.token.InvalidTokenException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Access-token verification through {@link AccessTokens#verify}, the work behind every request that
 * carries {@code Authorization: Bearer}.
 *
 * <ul>
 *   <li>{@link #cold}: a token this node has not verified yet — size and shape checks, the SHA-256
 *       cache key, a cache miss, then jose4j's full signature check and every claim check, and the
 *       cache write. The cache is emptied after each call, so every call misses; that {@link
 *       Cache#invalidateAll()} of a one-entry cache is timed too, small beside a signature check.
 *       Per algorithm.
 *   <li>{@link #cached}: a token presented again — the same size and shape checks and SHA-256 cache
 *       key, a cache hit, and the re-checks of key and expiry. 1,024 distinct cached PS256 tokens
 *       in turn; the algorithm does not matter on this path beyond the token's length.
 * </ul>
 */
public class AccessTokenVerifyBenchmark {

  // powers of two: the index wraps with a mask
  private static final int COLD_TOKENS = 256;
  private static final int CACHED_TOKENS = 1024;

  /** One algorithm's tokens and an always-empty verified-token cache. */
  @State(Scope.Thread)
  public static class Cold {
    @Param({"PS256", "RS256", "ES256"})
    String algorithm;

    AccessTokens tokens;
    Cache<?, ?> cache;
    String[] pool;
    int next;

    @Setup
    public void setUp() throws Exception {
      tokens = AccessTokenFixtures.forAlgorithm(algorithm);
      cache = AccessTokenFixtures.verifiedCache(tokens);
      pool = AccessTokenFixtures.issue(tokens, COLD_TOKENS);
      tokens.verify(pool[0]);
      if (cache.estimatedSize() != 1) {
        throw new IllegalStateException("the reflected field is not the verified-token cache");
      }
      cache.invalidateAll();
    }
  }

  /** PS256 tokens, each verified once already, so every call hits the cache. */
  @State(Scope.Thread)
  public static class Cached {
    AccessTokens tokens;
    String[] pool;
    int next;

    @Setup
    public void setUp() throws Exception {
      tokens = AccessTokenFixtures.forAlgorithm("PS256");
      pool = AccessTokenFixtures.issue(tokens, CACHED_TOKENS);
      for (String token : pool) {
        tokens.verify(token);
      }
      if (AccessTokenFixtures.verifiedCache(tokens).estimatedSize() != CACHED_TOKENS) {
        throw new IllegalStateException("not every token is in the verified-token cache");
      }
    }
  }

  @Benchmark
  public AccessToken cold(Cold state) throws InvalidTokenException {
    var token = state.tokens.verify(state.pool[state.next++ & (COLD_TOKENS - 1)]);
    state.cache.invalidateAll();
    return token;
  }

  @Benchmark
  public AccessToken cached(Cached state) throws InvalidTokenException {
    return state.tokens.verify(state.pool[state.next++ & (CACHED_TOKENS - 1)]);
  }
}
