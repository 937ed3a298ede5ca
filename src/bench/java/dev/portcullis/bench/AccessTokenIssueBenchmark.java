package dev.portcullis.bench;

import dev.portcullis.token.AccessTokens;
import dev.portcullis.token.IssuedAccessToken;
import java.util.Set;
import java.util.UUID;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Access-token signing through {@link AccessTokens#issue}, per algorithm: claims, a fresh {@code
 * jti}, JSON, and the jose4j signature with the ring's current key. This is the token part of every
 * login and refresh (the refresh token and the database are not included).
 */
@State(Scope.Thread)
public class AccessTokenIssueBenchmark {

  @Param({"PS256", "RS256", "ES256"})
  String algorithm;

  private final UUID subject = UUID.randomUUID();
  private final Set<String> groups = Set.of("user");
  private final String sessionId = UUID.randomUUID().toString();
  private AccessTokens tokens;

  @Setup
  public void setUp() throws Exception {
    tokens = AccessTokenFixtures.forAlgorithm(algorithm);
  }

  @Benchmark
  public IssuedAccessToken sign() {
    return tokens.issue(subject, "alice", groups, sessionId);
  }
}
