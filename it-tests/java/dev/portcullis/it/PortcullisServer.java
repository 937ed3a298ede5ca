package dev.portcullis.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One real Portcullis server for integration tests: the built WAR started by {@code payara/run.sh}
 * (or {@code src/main/wildfly/run.sh} with {@code -Dit.server=wildfly}) on a random free port, with
 * its own database (H2 file under {@code target/it}, or a fresh PostgreSQL database when {@code
 * -Dit.db.url} names one), its own random master key and a random bootstrap-admin password. {@link
 * #restart()} keeps all of that, so persistence across restarts can be tested. Every process it
 * starts is destroyed by {@link #stop()} (and by a shutdown hook).
 *
 * <p>With {@code -Dit.baseUrl=...} nothing is started: the tests run against that server, whose
 * admin password comes from {@code -Dit.adminPassword}.
 */
public final class PortcullisServer implements AutoCloseable {

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(240);

  private final String name;
  private final Map<String, String> environment = new HashMap<>();
  private final Path workDir;
  private final String adminPassword;
  private final String externalBaseUrl;
  private int port;
  private boolean keepPort;
  private Process process;

  private PortcullisServer(String name, Map<String, String> settings) {
    this(name, settings, null);
  }

  private PortcullisServer(String name, Map<String, String> settings, String adminPassword) {
    this(name, settings, adminPassword, blankToNull(System.getProperty("it.baseUrl")));
  }

  private PortcullisServer(
      String name, Map<String, String> settings, String adminPassword, String externalBaseUrl) {
    this.name = name;
    this.externalBaseUrl = externalBaseUrl;
    this.workDir = workDirOf(name);
    this.adminPassword =
        adminPassword != null
            ? adminPassword
            : externalBaseUrl != null
                ? System.getProperty("it.adminPassword", "")
                : "Adm1n-" + random(18);
    environment.putAll(settings);
  }

  /** Where the server called {@code name} keeps its log and (H2) data. */
  public static Path workDirOf(String name) {
    return Path.of(System.getProperty("it.workDir", "target/it")).resolve(name).toAbsolutePath();
  }

  /**
   * Starts a second node beside {@code first}: the same database, master key, issuer and
   * administrator, its own port and log. For H2, {@code first}'s database URL must allow a second
   * process ({@code AUTO_SERVER=TRUE}).
   */
  public static PortcullisServer join(String name, PortcullisServer first) {
    if (first.externalBaseUrl != null) {
      throw new IllegalStateException("cannot start a second node beside an external server");
    }
    var server = new PortcullisServer(name, first.environment, first.adminPassword);
    try {
      Files.createDirectories(server.workDir);
      Files.deleteIfExists(server.logFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.boot(false);
    return server;
  }

  /**
   * A server a test started itself (e.g. on Payara Server, {@code PayaraServerIT}) at {@code
   * baseUrl}, whose administrator {@code admin} has {@code adminPassword}: nothing is started,
   * restarted or stopped through it.
   */
  public static PortcullisServer at(String name, String baseUrl, String adminPassword) {
    return new PortcullisServer(name, Map.of(), adminPassword, baseUrl);
  }

  /**
   * Starts a server whose issuer is its own base URL ({@code http://127.0.0.1:<port>}), unless
   * {@code settings} name one: relying parties find the provider at its issuer (OpenID discovery)
   * and follow the endpoints the discovery document names, so these must be reachable. A restart
   * keeps the port, hence the issuer.
   */
  public static PortcullisServer startAsOwnIssuer(String name, Map<String, String> settings) {
    var server = new PortcullisServer(name, settings);
    if (server.externalBaseUrl == null) {
      try {
        server.port = freePort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      server.keepPort = true;
      server.environment.putIfAbsent("PORTCULLIS_ISSUER", server.baseUrl());
    }
    server.boot(true);
    return server;
  }

  /** Starts a server with default settings plus {@code settings} (PORTCULLIS_* variables). */
  public static PortcullisServer start(String name, Map<String, String> settings) {
    var server = new PortcullisServer(name, settings);
    server.boot(true);
    return server;
  }

  public String baseUrl() {
    return externalBaseUrl != null
        ? externalBaseUrl.replaceAll("/$", "")
        : "http://127.0.0.1:" + port;
  }

  /** The {@code iss} the server is configured with. */
  public String issuer() {
    return externalBaseUrl != null
        ? System.getProperty("it.issuer", "http://localhost:8080")
        : environment.get("PORTCULLIS_ISSUER");
  }

  public String adminUsername() {
    return "admin";
  }

  public String adminPassword() {
    return adminPassword;
  }

  /**
   * The JDBC URL, user and password of this server's database, so a test can reach it directly (for
   * H2 only when the URL allows a second process, e.g. {@code AUTO_SERVER=TRUE}).
   */
  public Database database() {
    return new Database(
        environment.get("PORTCULLIS_DB_URL"),
        environment.getOrDefault("PORTCULLIS_DB_USER", "sa"),
        environment.getOrDefault("PORTCULLIS_DB_PASSWORD", "sa"));
  }

  /** Where a server's database is; test fixtures only. */
  public record Database(String url, String user, String password) {}

  /** The process id of the start script ({@code payara/run.sh} execs the JVM). */
  public long pid() {
    if (process == null) {
      throw new IllegalStateException("not running");
    }
    return process.pid();
  }

  public Path logFile() {
    return workDir.resolve("server.log");
  }

  /** Stops the server and starts it again with the same database, keys and settings. */
  public void restart() {
    if (externalBaseUrl != null) {
      throw new IllegalStateException("cannot restart an external server");
    }
    stop();
    boot(false);
  }

  public void stop() {
    if (process != null) {
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  @Override
  public void close() {
    stop();
  }

  private void boot(boolean fresh) {
    if (externalBaseUrl != null) {
      return;
    }
    try {
      if (fresh) {
        prepareFreshState();
      }
      if (!keepPort) {
        port = freePort();
      }
      var command = new ProcessBuilder("bash", runScript().toAbsolutePath().toString());
      command.environment().putAll(environment);
      command.environment().put("PORT", Integer.toString(port));
      // a small heap for tests, unless the caller's settings name JAVA_OPTS (the load benchmark)
      command
          .environment()
          .put("JAVA_OPTS", environment.getOrDefault("JAVA_OPTS", "-Xmx512m -XX:+UseSerialGC"));
      command
          .environment()
          .putIfAbsent(
              "PAYARA_MICRO_JAR", System.getProperty("payara.microJar", "target/payara-micro.jar"));
      command
          .environment()
          .putIfAbsent("PORTCULLIS_WAR", System.getProperty("it.war", "target/portcullis.war"));
      command.redirectErrorStream(true);
      command.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
      command.directory(workDir.toFile());
      process = command.start();
      Runtime.getRuntime().addShutdownHook(new Thread(this::stop));
      awaitReady();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the server for " + name, e);
    }
  }

  /**
   * The start script of the server the tests run on: {@code payara/run.sh}, or with {@code
   * -Dit.server=wildfly} {@code src/main/wildfly/run.sh}; both honour the same environment.
   */
  private static Path runScript() {
    return switch (System.getProperty("it.server", "payara")) {
      case "payara" -> Path.of("payara", "run.sh");
      case "wildfly" -> Path.of("src", "main", "wildfly", "run.sh");
      default -> throw new IllegalStateException("-Dit.server must be payara or wildfly");
    };
  }

  private void prepareFreshState() throws IOException {
    if (Files.exists(workDir)) {
      try (var files = Files.walk(workDir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Files.createDirectories(workDir);
    environment.putIfAbsent("PORTCULLIS_MASTER_KEY", random(32));
    environment.putIfAbsent("PORTCULLIS_ISSUER", "https://portcullis.it.test");
    environment.putIfAbsent("PORTCULLIS_BOOTSTRAP_ADMIN_USERNAME", adminUsername());
    environment.putIfAbsent("PORTCULLIS_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
    environment.putIfAbsent("PORTCULLIS_DATA_DIR", workDir.resolve("data").toString());
    var database = freshDatabase(name, workDir);
    if (database.get("PORTCULLIS_DB_URL").startsWith("jdbc:postgresql:")) {
      environment.putAll(database);
    } else {
      // a test may choose its own H2 URL (e.g. AUTO_SERVER=TRUE, to reach the database itself)
      database.forEach(environment::putIfAbsent);
    }
  }

  /**
   * The database settings ({@code PORTCULLIS_DB_*}) of a fresh database for the server called
   * {@code name}: with {@code -Dit.db.url=jdbc:postgresql:...} a PostgreSQL database {@code
   * <it.db.prefix><name>}, dropped and created now, with URL, user and password; otherwise only the
   * URL of an H2 file database under {@code workDir/data} (user and password are H2's defaults).
   */
  public static Map<String, String> freshDatabase(String name, Path workDir) {
    String dbUrl = blankToNull(System.getProperty("it.db.url"));
    if (dbUrl != null && dbUrl.startsWith("jdbc:postgresql:")) {
      // -Dit.db.prefix keeps two checkouts testing at once on one PostgreSQL apart
      String database =
          System.getProperty("it.db.prefix", "portcullis_it_")
              + name.toLowerCase().replaceAll("[^a-z0-9]", "_");
      recreatePostgresDatabase(dbUrl, database);
      return Map.of(
          "PORTCULLIS_DB_URL",
          dbUrl.replaceAll("/[^/?]*(\\?.*)?$", "/" + database),
          "PORTCULLIS_DB_USER",
          System.getProperty("it.db.user", "postgres"),
          "PORTCULLIS_DB_PASSWORD",
          System.getProperty("it.db.password", "postgres"));
    }
    return Map.of(
        "PORTCULLIS_DB_URL",
        "jdbc:h2:file:"
            + workDir.resolve("data").resolve("portcullis")
            + ";DB_CLOSE_ON_EXIT=FALSE");
  }

  /** Drops and creates {@code database}, connecting to the maintenance database of {@code url}. */
  private static void recreatePostgresDatabase(String url, String database) {
    String admin = url.replaceAll("/[^/?]*(\\?.*)?$", "/postgres");
    try (var connection =
            DriverManager.getConnection(
                admin,
                System.getProperty("it.db.user", "postgres"),
                System.getProperty("it.db.password", "postgres"));
        var statement = connection.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      statement.execute("CREATE DATABASE " + database);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot prepare PostgreSQL database " + database, e);
    }
  }

  private void awaitReady() {
    // HTTP/1.1: Grizzly's cleartext HTTP/2 upgrade can deadlock two worker threads (see README)
    var client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    var ready =
        HttpRequest.newBuilder(URI.create(baseUrl() + "/health/ready"))
            .timeout(Duration.ofSeconds(5))
            .build();
    Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "The server exited with "
                + process.exitValue()
                + " before it was ready; see "
                + logFile()
                + "\n"
                + tail());
      }
      try {
        if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sleep(500);
    }
    stop();
    throw new IllegalStateException(
        "Portcullis was not ready within "
            + STARTUP_TIMEOUT
            + "; see "
            + logFile()
            + "\n"
            + tail());
  }

  /** The last lines of the server log, for failure messages. */
  public String tail() {
    try {
      List<String> lines = Files.readAllLines(logFile());
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  static String random(int bytes) {
    var value = new byte[bytes];
    new SecureRandom().nextBytes(value);
    return Base64.getEncoder().encodeToString(value);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
