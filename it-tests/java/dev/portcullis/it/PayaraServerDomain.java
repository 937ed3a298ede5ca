package dev.portcullis.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One Payara Server domain for integration tests, driven only through {@code asadmin} of the
 * distribution that {@code mvn verify} unpacks into {@code target/payara6}. The domain lives under
 * its work directory ({@code --domaindir}), never in the distribution, on a port base whose ports
 * are all free. Every command's output is appended to {@code asadmin.log} there; a command that
 * fails throws with its output.
 *
 * <p>{@link #close()} stops and deletes the domain and kills any server JVM of it that is still
 * alive (also from an earlier run that died), so no {@code ASMain} process outlives the tests.
 *
 * <p>Usage: {@code try (var domain = PayaraServerDomain.create("name")) { domain.start();
 * domain.asadmin("deploy", ...); }}. Not thread-safe.
 */
public final class PayaraServerDomain implements AutoCloseable {

  /** The domain's name (the distribution's own {@code domain1} is never used). */
  static final String NAME = "portcullis";

  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(5);

  private final Path asadmin;
  private final Path workDir;
  private final Path domainDir;
  private final int portBase;

  private PayaraServerDomain(Path asadmin, Path workDir, int portBase) {
    this.asadmin = asadmin;
    this.workDir = workDir;
    this.domainDir = workDir.resolve("domains");
    this.portBase = portBase;
  }

  /**
   * Creates a fresh domain ({@code create-domain --nopassword}: the admin user may log in without a
   * password, from this machine only) in the work directory of {@code name}, deleting what an
   * earlier run left there.
   */
  public static PayaraServerDomain create(String name) {
    Path home = Path.of(System.getProperty("it.payaraServer", "target/payara6")).toAbsolutePath();
    Path asadmin = home.resolve("bin").resolve("asadmin");
    if (!Files.isExecutable(asadmin)) {
      throw new IllegalStateException(
          asadmin + " is missing: mvn verify unpacks Payara Server there (pre-integration-test)");
    }
    Path workDir = PortcullisServer.workDirOf(name);
    var domain = new PayaraServerDomain(asadmin, workDir, freePortBase());
    domain.killServerJvms();
    deleteTree(workDir);
    try {
      Files.createDirectories(workDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(domain::killServerJvms));
    domain.local(
        "create-domain",
        "--nopassword",
        "--domaindir",
        domain.domainDir.toString(),
        "--portbase",
        Integer.toString(domain.portBase),
        NAME);
    return domain;
  }

  public Path workDir() {
    return workDir;
  }

  /** The domain's own directory ({@code config/}, {@code lib/}, {@code logs/}). */
  public Path directory() {
    return domainDir.resolve(NAME);
  }

  public Path serverLog() {
    return directory().resolve("logs").resolve("server.log");
  }

  public int adminPort() {
    return portBase + 48;
  }

  public int httpPort() {
    return portBase + 80;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + httpPort();
  }

  public void start() {
    local("start-domain", "--domaindir", domainDir.toString(), NAME);
  }

  public void restart() {
    local("restart-domain", "--domaindir", domainDir.toString(), NAME);
  }

  /** Runs a remote command against the running domain and returns its output. */
  public String asadmin(String... command) {
    var arguments = new ArrayList<String>(List.of("--port", Integer.toString(adminPort())));
    arguments.addAll(List.of(command));
    return run(arguments);
  }

  /** The server JVMs of this domain that are alive (normally none or one). */
  public List<ProcessHandle> serverJvms() {
    String instanceRoot = "-Dcom.sun.aas.instanceRoot=" + directory();
    return ProcessHandle.allProcesses().filter(p -> arguments(p).contains(instanceRoot)).toList();
  }

  /**
   * The whole command line of {@code process}, read from {@code /proc} (Linux): the JDK's {@code
   * ProcessHandle.Info} gives no arguments for a command line over 4096 bytes, and the server JVM's
   * is longer.
   */
  public static List<String> arguments(ProcessHandle process) {
    try {
      String raw = Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
      return List.of(raw.split("\0"));
    } catch (IOException | UncheckedIOException | SecurityException e) {
      return List.of(); // gone, or not ours to read
    }
  }

  /** The last lines of the domain's server.log, for failure messages. */
  public String tail() {
    try {
      List<String> lines = Files.readAllLines(serverLog());
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(no server.log)";
    }
  }

  /** Stops and deletes the domain; kills its JVM if stopping did not end it. Never throws. */
  @Override
  public void close() {
    if (Files.isDirectory(directory())) {
      try {
        local("stop-domain", "--domaindir", domainDir.toString(), NAME);
      } catch (RuntimeException e) {
        System.err.println("stop-domain failed: " + e.getMessage());
      }
      killServerJvms();
      try {
        local("delete-domain", "--domaindir", domainDir.toString(), NAME);
      } catch (RuntimeException e) {
        System.err.println("delete-domain failed: " + e.getMessage());
      }
    }
    killServerJvms();
  }

  private void killServerJvms() {
    for (var jvm : serverJvms()) {
      System.err.println("killing Payara Server JVM " + jvm.pid() + " of " + directory());
      jvm.destroyForcibly();
      jvm.onExit().orTimeout(30, TimeUnit.SECONDS).join();
    }
  }

  /** A local command (no {@code --port}): create, start, stop or delete a domain. */
  private String local(String... command) {
    return run(List.of(command));
  }

  private String run(List<String> command) {
    var full = new ArrayList<String>(List.of(asadmin.toString()));
    full.addAll(command);
    try {
      // start-domain leaves the server JVM running: it must not hold a pipe of ours open, so the
      // output goes to a file
      Path output = Files.createTempFile(workDir, "asadmin", ".out");
      try {
        var builder = new ProcessBuilder(full).redirectErrorStream(true);
        builder.redirectOutput(output.toFile());
        builder.environment().put("TERM", "dumb");
        var process = builder.start();
        if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException(
              "asadmin " + command + " took longer than " + COMMAND_TIMEOUT);
        }
        String text = Files.readString(output);
        Files.writeString(
            workDir.resolve("asadmin.log"),
            "$ asadmin " + String.join(" ", command) + "\n" + text + "\n",
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND);
        if (process.exitValue() != 0) {
          throw new IllegalStateException(
              "asadmin " + command + " exited with " + process.exitValue() + ":\n" + text);
        }
        return text;
      } finally {
        Files.deleteIfExists(output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * A port base whose 100 ports are all free: {@code --portbase} puts admin (+48), HTTP (+80),
   * HTTPS (+81), IIOP (+37..39), JMS (+76), JMX (+86), OSGi shell (+66), debugger (+9) and
   * Hazelcast (+49, +59 and up) there. Chosen below Linux's ephemeral range (32768 and up), where
   * the other tests' random ports are.
   */
  private static int freePortBase() {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = 100 * ThreadLocalRandom.current().nextInt(100, 320);
      if (allFree(base, base + 100)) {
        return base;
      }
    }
    throw new IllegalStateException("no port base with 100 free ports found");
  }

  private static boolean allFree(int from, int to) {
    for (int port = from; port < to; port++) {
      try (var socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress(port));
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  private static void deleteTree(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (var files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
