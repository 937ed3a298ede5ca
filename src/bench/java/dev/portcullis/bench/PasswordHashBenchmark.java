package dev.portcullis.bench;

import dev.portcullis.config.MapConfig;
import dev.portcullis.config.SettingsProducer;
import dev.portcullis.user.PasswordHashing;
import java.util.Map;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * One Argon2id hash with the default settings' parameters (m=19456 KiB, t=2, p=1) through {@link
 * PasswordHashing#hash}: the ceiling on password logins per second, since a login's verification
 * costs the same as a hash. One {@link PasswordHashing} is shared, as the server's is; on two
 * threads the score is both threads' throughput together.
 */
@State(Scope.Benchmark)
public class PasswordHashBenchmark {

  private PasswordHashing hashing;

  @Setup
  public void setUp() {
    hashing = new PasswordHashing(SettingsProducer.read(new MapConfig(Map.of())).argon2());
  }

  @Benchmark
  @Threads(1)
  public String oneThread() {
    return hashing.hash("correct horse battery staple");
  }

  @Benchmark
  @Threads(2)
  public String twoThreads() {
    return hashing.hash("correct horse battery staple");
  }
}
