package dev.portcullis.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Where the server's CPU goes during one run, sampled by async-profiler attached to the running
 * server ({@code jcmd <pid> JVMTI.agent_load}): one sample per millisecond of CPU of each thread
 * ({@code event=cpu}, the kernel's CPU clock: this VM has no hardware counters), native frames
 * included, so Bouncy Castle, the JDK's RSA, the JIT and the collector are all seen; kernel frames
 * only where {@code kernel.perf_event_paranoid} is 1 or less (the caller compares the samples with
 * /proc for the rest). Each stack is put into the first {@link Part} that claims it. Linux x86-64
 * only; elsewhere {@link #start} says why it cannot profile.
 */
final class CpuProfile {

  /** Milliseconds of CPU per sample. */
  private static final int INTERVAL_MILLIS = 1;

  private static final String LIBRARY = "linux-x64/libasyncProfiler.so";

  /** A part of the CPU a request costs, recognised by its thread and the frames of its stacks. */
  enum Part {
    ARGON2(
        "Argon2id (Bouncy Castle)", onRequestThread("org/bouncycastle/crypto/generators/Argon2")),
    SIGNING(
        "signing the access token (JDK RSA-PSS)",
        onRequestThread("sun/security/rsa/", "sun/security/ec/")),
    JDBC("PostgreSQL JDBC driver (queries, commits)", onRequestThread("org/postgresql/")),
    HIBERNATE("Hibernate (outside the driver)", onRequestThread("org/hibernate/")),
    PORTCULLIS(
        "the rest of Portcullis's resource call (own code, Weld, JSON, audit chain)",
        onRequestThread("dev/portcullis/")),
    CONTAINER(
        "the request around it (Grizzly, servlet, Soteria, Jersey)", stack -> requestThread(stack)),
    COMPILER("JIT compiler threads", stack -> thread(stack).contains("CompilerThre")),
    GC(
        "garbage collector and VM threads",
        stack -> thread(stack).matches("\\[(GC Thread|G1 |VM Thread|VM Periodic).*")),
    OTHER("other server threads (selectors, Hazelcast, timers)", stack -> true);

    final String label;
    private final Predicate<String> claims;

    Part(String label, Predicate<String> claims) {
      this.label = label;
      this.claims = claims;
    }

    static Part of(String stack) {
      for (Part part : values()) {
        if (part.claims.test(stack)) {
          return part;
        }
      }
      return OTHER;
    }

    private static Predicate<String> onRequestThread(String... frames) {
      return stack -> requestThread(stack) && List.of(frames).stream().anyMatch(stack::contains);
    }

    private static boolean requestThread(String stack) {
      return thread(stack).startsWith("[http-thread-pool");
    }

    /** The thread's name: with the {@code threads} option each stack starts with it. */
    private static String thread(String stack) {
      int end = stack.indexOf(';');
      return end < 0 ? stack : stack.substring(0, end);
    }
  }

  /**
   * Milliseconds of CPU per request, by part, in {@link Part} order; parts never seen are left out.
   */
  record Result(Map<Part, Double> millisPerRequest) {

    double total() {
      return millisPerRequest.values().stream().mapToDouble(Double::doubleValue).sum();
    }
  }

  private final long pid;
  private final Path library;
  private final Path output;

  private CpuProfile(long pid, Path library, Path output) {
    this.pid = pid;
    this.library = library;
    this.output = output;
  }

  /**
   * Starts profiling the JVM {@code pid}, with the profiler's library copied into {@code work}.
   *
   * @throws IllegalStateException saying why it cannot (another platform, jcmd refused)
   */
  static CpuProfile start(long pid, Path work) {
    if (!"Linux".equals(System.getProperty("os.name"))
        || !"amd64".equals(System.getProperty("os.arch"))) {
      throw new IllegalStateException("async-profiler is only set up here for Linux x86-64");
    }
    try (InputStream in = CpuProfile.class.getClassLoader().getResourceAsStream(LIBRARY)) {
      if (in == null) {
        throw new IllegalStateException(LIBRARY + " is not on the classpath (async-profiler jar)");
      }
      Files.createDirectories(work);
      Path library = work.resolve("libasyncProfiler.so");
      if (Files.notExists(library)) {
        // never over a copy the server may have loaded already
        Files.copy(in, library);
      }
      var profile = new CpuProfile(pid, library, work.resolve("profile.collapsed"));
      Files.deleteIfExists(profile.output);
      profile.command("start,event=cpu,interval=" + INTERVAL_MILLIS + "ms,threads");
      return profile;
    } catch (IOException e) {
      throw new IllegalStateException("cannot copy async-profiler's library: " + e.getMessage(), e);
    }
  }

  /** Stops profiling and sums the samples by part, per request of the {@code requests} made. */
  Result stop(long requests) {
    command("stop,file=" + output + ",collapsed");
    var samples = new LinkedHashMap<Part, Long>();
    for (Part part : Part.values()) {
      samples.put(part, 0L);
    }
    try (var lines = Files.lines(output, StandardCharsets.UTF_8)) {
      lines.forEach(
          line -> {
            int space = line.lastIndexOf(' ');
            if (space > 0) {
              samples.merge(
                  Part.of(line.substring(0, space)),
                  Long.parseLong(line.substring(space + 1)),
                  Long::sum);
            }
          });
    } catch (IOException | NumberFormatException e) {
      throw new IllegalStateException("cannot read the profile " + output + ": " + e, e);
    }
    var perRequest = new LinkedHashMap<Part, Double>();
    samples.forEach(
        (part, count) -> {
          if (count > 0) {
            perRequest.put(part, count * (double) INTERVAL_MILLIS / Math.max(1, requests));
          }
        });
    return new Result(perRequest);
  }

  /** Sends one command to the profiler in the server; jcmd's answer must be return code 0. */
  private void command(String command) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      // jcmd splits its arguments at '=' unless the profiler's options are quoted; its answer
      // goes to a file, so that the time limit holds even if jcmd never closes its output
      Path answerFile = output.resolveSibling("jcmd-answer.txt");
      var process =
          new ProcessBuilder(
                  jcmd.toString(),
                  Long.toString(pid),
                  "JVMTI.agent_load",
                  library.toString(),
                  "\"" + command + "\"")
              .redirectErrorStream(true)
              .redirectOutput(answerFile.toFile())
              .start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("jcmd did not answer '" + command + "' within 60 s");
      }
      String answer = Files.readString(answerFile, StandardCharsets.UTF_8);
      if (!answer.contains("return code: 0")) {
        throw new IllegalStateException("async-profiler refused '" + command + "': " + answer);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + jcmd + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while profiling", e);
    }
  }
}
