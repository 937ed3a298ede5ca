package dev.portcullis.bench;

import dev.portcullis.session.SessionValidateBenchmark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs Portcullis' JMH micro-benchmarks and writes their table to {@code ${bench.out}/micro.md}
 * ({@code target/benchmarks} by default); JMH's own output goes to standard output.
 *
 * <p>One fork per benchmark with the server's fixed JVM options ({@code payara/jvm.options}) and a
 * 1 GiB heap, 3 × 2 s warm-up (the signature code needs about 5 s of JIT compilation before it
 * settles) and 4 × 2 s measurement, throughput in ops/s: about three minutes on two cores. Short
 * enough to run often, so read the error column, and compare runs made on the same machine. Started
 * by {@code mvn -Pbench verify}, or by hand:
 *
 * <pre>
 * mvn -q -DskipTests test-compile
 * mvn -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp "$(cat target/cp.txt)":target/test-classes:target/classes \
 *     -Dbench.out=target/benchmarks dev.portcullis.bench.MicroBenchmarks
 * </pre>
 *
 * The forked JVMs inherit this JVM's class path. A benchmark that throws stops the run with an
 * error; no benchmark fails on a number.
 */
public final class MicroBenchmarks {

  static final List<Class<?>> BENCHMARKS =
      List.of(
          AccessTokenVerifyBenchmark.class,
          AccessTokenIssueBenchmark.class,
          ApiKeyVerifyBenchmark.class,
          SessionValidateBenchmark.class,
          PasswordHashBenchmark.class);

  private MicroBenchmarks() {}

  public static void main(String[] args) throws RunnerException, IOException {
    Path out = Path.of(System.getProperty("bench.out", "target/benchmarks"));
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .forks(1)
            .jvmArgsAppend(jvmArgs())
            .warmupIterations(3)
            .warmupTime(TimeValue.seconds(2))
            .measurementIterations(4)
            .measurementTime(TimeValue.seconds(2))
            .mode(Mode.Throughput)
            .timeUnit(TimeUnit.SECONDS)
            .shouldFailOnError(true);
    for (var benchmark : BENCHMARKS) {
      options.include("^" + Pattern.quote(benchmark.getName()) + "\\.");
    }
    var results = new Runner(options.build()).run();
    Files.createDirectories(out);
    Path table = out.resolve("micro.md");
    Files.writeString(
        table,
        MicroBenchmarkReport.markdown(
            results, Instant.now(), Runtime.getRuntime().availableProcessors()));
    System.out.println("Wrote " + table.toAbsolutePath());
  }

  /** The server's fixed JVM options and heap, so Argon2id is compiled as in the server. */
  private static String[] jvmArgs() {
    var args = new ArrayList<>(ServerJvmOptions.read());
    args.add("-Xms1g");
    args.add("-Xmx1g");
    return args.toArray(String[]::new);
  }
}
