package dev.portcullis.delegation;

import dev.portcullis.it.PortcullisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A second application server, beside the Portcullis under test, running the test-only applications
 * that delegate their login to it: the same {@code payara-micro.jar} the integration tests start
 * Portcullis with ({@code -Dpayara.microJar}), or WildFly ({@link #startWildFly}), on a free port,
 * with the given system properties (where the applications read Portcullis' address and their
 * client credentials: MicroProfile Config ranks system properties above {@code
 * microprofile-config.properties}) and WARs.
 *
 * <p>Its log and runtime directory live in {@code target/it/<name>/} (like Portcullis' servers).
 * {@link #stop()} ends the process and deletes the runtime directory, keeping the log; a shutdown
 * hook does the same when the test JVM exits, and a small watchdog shell around the JVM ends it
 * when the test JVM dies without running its hooks ({@code kill -9}), so no server outlives the
 * run. Not thread-safe: one test class drives it.
 */
public final class AppServer implements AutoCloseable {

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(180);
  private static final String SYSTEM_PROPERTIES = "system.properties";
  private static final String RUNTIME = "runtime";

  /**
   * Runs the command after {@code $2}, and ends it as soon as process {@code $1} (the test JVM) is
   * gone; a TERM to the shell ends it too.
   */
  private static final String WATCHDOG =
      """
      parent=$1; shift
      "$@" &
      child=$!
      trap 'kill "$child" 2>/dev/null; wait "$child"; exit 143' TERM INT HUP
      while kill -0 "$parent" 2>/dev/null && kill -0 "$child" 2>/dev/null; do sleep 1; done
      kill "$child" 2>/dev/null
      wait "$child"
      """;

  private final String name;
  private final Path workDir;
  private final int port;
  private final Process process;
  private final Thread shutdownHook;

  private AppServer(String name, Path workDir, int port, Process process) {
    this.name = name;
    this.workDir = workDir;
    this.port = port;
    this.process = process;
    this.shutdownHook = new Thread(this::stop);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * The port the next {@link #start} on it will use: a free one now. Known before the server runs,
   * because redirect URIs name it and must be registered first.
   */
  public static int freePort() {
    try (var socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where the server called {@code name} keeps its log, WARs and runtime directory. */
  public static Path workDirOf(String name) {
    return PortcullisServer.workDirOf(name);
  }

  /**
   * Starts Payara Micro on {@code port} with {@code systemProperties} and deploys {@code wars}
   * (each at {@code /<file name without .war>}), and waits until every WAR answers {@code
   * /<context>/ping.txt} (the file {@link TestApps} adds to each).
   *
   * @throws IllegalStateException if it exits or is not ready within three minutes (the log tail is
   *     in the message)
   */
  public static AppServer start(
      String name, int port, Map<String, String> systemProperties, List<Path> wars) {
    Path workDir = prepare(name);
    var command = new ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:+UseSerialGC");
    command.add("-jar");
    command.add(microJar().toString());
    command.add("--nocluster");
    // from a file, not -D: client secrets stay off command lines (ps) and out of the log
    command.add("--systemproperties");
    command.add(writeSystemProperties(workDir, systemProperties).toString());
    command.add("--port");
    command.add(Integer.toString(port));
    command.add("--rootdir");
    command.add(workDir.resolve(RUNTIME).toString());
    for (Path war : wars) {
      command.add("--deploy");
      command.add(war.toAbsolutePath().toString());
    }
    return launch(name, workDir, port, command, Map.of(), wars);
  }

  /**
   * Like {@link #start}, but on the WildFly the integration tests run Portcullis on with {@code
   * -Dit.server=wildfly} ({@code -Dit.wildfly.home}, provisioned by {@code
   * src/main/wildfly/provision.sh}): a standalone server in a directory of its own (a copy of the
   * provisioned {@code standalone/configuration}, the WARs in its {@code deployments}), its
   * management interface on another free port.
   */
  public static AppServer startWildFly(
      String name, int port, Map<String, String> systemProperties, List<Path> wars) {
    String configured = System.getProperty("it.wildfly.home", "");
    if (configured.isBlank()) {
      throw new IllegalStateException(
          "no WildFly: -Dit.wildfly.home is set by -Dit.server=wildfly");
    }
    Path home = Path.of(configured).toAbsolutePath();
    Path workDir = prepare(name);
    Path base = workDir.resolve(RUNTIME);
    try {
      copyTree(home.resolve("standalone").resolve("configuration"), base.resolve("configuration"));
      Files.createDirectories(base.resolve("deployments"));
      for (Path war : wars) {
        Files.copy(war, base.resolve("deployments").resolve(war.getFileName()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    var command =
        List.of(
            home.resolve("bin").resolve("standalone.sh").toString(),
            "-Djboss.server.base.dir=" + base,
            "-b",
            "0.0.0.0",
            "-Djboss.http.port=" + port,
            "-Djboss.management.http.port=" + freePort(),
            // from a file, not -D: client secrets stay off command lines (ps)
            "--properties=" + writeSystemProperties(workDir, systemProperties).toUri());
    return launch(
        name,
        workDir,
        port,
        command,
        Map.of(
            // standalone.sh then forwards TERM to the JVM and waits for it
            "LAUNCH_JBOSS_IN_BACKGROUND",
            "1",
            "JAVA_OPTS",
            "-Xmx384m -XX:+UseSerialGC -Djava.net.preferIPv4Stack=true"
                + " -Djboss.modules.system.pkgs=org.jboss.byteman -Djava.awt.headless=true"),
        wars);
  }

  private static Path prepare(String name) {
    Path workDir = workDirOf(name);
    try {
      Files.createDirectories(workDir);
      deleteTree(workDir.resolve(RUNTIME));
      Files.deleteIfExists(workDir.resolve("server.log"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return workDir;
  }

  /** Runs {@code serverCommand} inside the watchdog and waits for every WAR's {@code ping.txt}. */
  private static AppServer launch(
      String name,
      Path workDir,
      int port,
      List<String> serverCommand,
      Map<String, String> environment,
      List<Path> wars) {
    var command = new ArrayList<String>();
    command.add("bash");
    command.add("-c");
    command.add(WATCHDOG);
    command.add("app-server-watchdog");
    command.add(Long.toString(ProcessHandle.current().pid()));
    command.addAll(serverCommand);
    var builder = new ProcessBuilder(command);
    builder.environment().putAll(environment);
    builder.redirectErrorStream(true);
    builder.redirectOutput(
        ProcessBuilder.Redirect.appendTo(workDir.resolve("server.log").toFile()));
    builder.directory(workDir.toFile());
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the application server " + name, e);
    }
    var server = new AppServer(name, workDir, port, process);
    try {
      for (Path war : wars) {
        server.awaitAnswer("/" + contextOf(war) + "/" + TestApps.PING);
      }
    } catch (RuntimeException e) {
      server.stop();
      throw e;
    }
    return server;
  }

  /** {@code http://localhost:<port>}: another site than Portcullis' {@code 127.0.0.1}. */
  public String baseUrl() {
    return "http://localhost:" + port;
  }

  public int port() {
    return port;
  }

  /** The processes of this server while it runs: the watchdog shell, the JVM and any children. */
  public List<ProcessHandle> processes() {
    return Stream.concat(Stream.of(process.toHandle()), process.descendants()).toList();
  }

  public Path logFile() {
    return workDir.resolve("server.log");
  }

  /** The last lines of the server log, for failure messages. */
  public String tail() {
    try {
      List<String> lines = Files.readAllLines(logFile());
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  /** Ends the server (and the watchdog around it) and deletes its runtime directory; idempotent. */
  public void stop() {
    if (process.isAlive()) {
      var descendants = process.descendants().toList();
      descendants.forEach(ProcessHandle::destroy);
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          descendants.forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (var child : descendants) {
          child.onExit().get(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        System.err.println("the application server " + name + " did not end cleanly: " + e);
      }
    }
    deleteTree(workDir.resolve(RUNTIME));
    try {
      Files.deleteIfExists(workDir.resolve(SYSTEM_PROPERTIES));
    } catch (IOException e) {
      System.err.println("cannot delete the system properties of " + name + ": " + e);
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: this is the hook
    }
  }

  @Override
  public void close() {
    stop();
  }

  private void awaitAnswer(String path) {
    var client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .build();
    Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the application server " + name + " exited before it was ready:\n" + tail());
      }
      try {
        if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException(
        "the application server "
            + name
            + " did not serve "
            + path
            + " within "
            + STARTUP_TIMEOUT
            + ":\n"
            + tail());
  }

  private static Path writeSystemProperties(Path workDir, Map<String, String> properties) {
    var file = workDir.resolve(SYSTEM_PROPERTIES);
    var values = new Properties();
    values.putAll(properties);
    try {
      Files.deleteIfExists(file);
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try (var out = Files.newOutputStream(file)) {
        values.store(out, "system properties of the test applications (test fixtures)");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  private static String contextOf(Path war) {
    String file = war.getFileName().toString();
    return file.substring(0, file.length() - ".war".length());
  }

  private static Path microJar() {
    Path jar = Path.of(System.getProperty("payara.microJar", "target/payara-micro.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build first (mvn -DskipTests package)");
    }
    return jar.toAbsolutePath();
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var files = Files.walk(from)) {
      for (Path source : files.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }

  private static void deleteTree(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (var files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      System.err.println("cannot delete " + directory + ": " + e);
    }
  }
}
