package dev.portcullis.bench;

import static dev.portcullis.bench.MarkdownTable.millis;
import static dev.portcullis.bench.MarkdownTable.number;
import static dev.portcullis.bench.MarkdownTable.perRequest;
import static dev.portcullis.bench.MarkdownTable.percent;

import dev.portcullis.config.Settings.Argon2Settings;
import dev.portcullis.it.Api;
import dev.portcullis.it.PortcullisServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The load benchmark: the built WAR on {@code payara/run.sh} (PostgreSQL unless {@code -Dit.db.url}
 * says otherwise), a realistic {@link Population}, and {@code wrk} on loopback with the same
 * threads, connections and duration for every case of a table. Ratios are always against a baseline
 * measured in the same run. Writes {@code target/benchmarks/load.md}; never fails on a number (only
 * when the server or a tool does not work).
 *
 * <p>Run by {@code mvn -Pbench verify}; {@code -Dbench.seconds} sets the length of one measured run
 * (default 10), {@code -Dbench.rounds} the interleaved rounds of the overhead table and the repeats
 * of the saturated login run (3).
 */
public final class LoadBenchmark {

  private static final int USERS = Integer.getInteger("bench.users", 200);
  private static final int TOKENS = Integer.getInteger("bench.tokens", 5000);
  private static final int KEYS = Integer.getInteger("bench.keys", 5000);
  private static final int SESSIONS = Integer.getInteger("bench.sessions", 2000);
  private static final int SECONDS = Integer.getInteger("bench.seconds", 10);
  private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
  private static final int WARM_UP_SECONDS = 5;

  /**
   * The length of each saturated login run (one connection per core), whose p99 is a target: at
   * about 40 logins a second, 30 s put some 12 answers beyond the p99 instead of 4.
   */
  private static final int SATURATED_LOGIN_SECONDS = Integer.getInteger("bench.loginSeconds", 30);

  /**
   * The JIT needs about a minute of this load on 2 cores before throughput stops climbing, and the
   * bare servers get no other load before theirs (with 15 s per case the bare server with a
   * mechanism still went from 3,065 to 9,448 requests/s over the three rounds; on WildFly an API
   * key climbed from 2,200 to 11,000 over its first 50 s); {@code -Dbench.warmUpSeconds} sets it.
   */
  private static final int OVERHEAD_WARM_UP_SECONDS = Integer.getInteger("bench.warmUpSeconds", 30);

  /**
   * Refreshes run code that nothing before them has made hot, so they warm up longer than the
   * request-overhead cases.
   */
  private static final int GRANT_WARM_UP_SECONDS = 30;

  /**
   * Logins are few per second, and C2 compiles a method after about 5,000 calls: code called once
   * per login was seen compiling (up to half a core, 7-11 ms of CPU per login) 3 minutes into the
   * logins. They warm up in chunks of this many seconds until the compiler threads stay quiet.
   */
  private static final int LOGIN_WARM_UP_CHUNK_SECONDS = 15;

  /** Compiler threads below this share of one core for two chunks in a row: the JIT has settled. */
  private static final double COMPILER_QUIET_SHARE = 0.02;

  private static final int LOGIN_WARM_UP_MAX_SECONDS = 300;

  private static final int CONNECTIONS = 32;
  private static final int WRK_THREADS = 2;
  private static final int CLIENTS = 4;
  private static final int[] LOGIN_CONNECTIONS = {1, 2, 4, 16, 64};
  private static final int SINGLE_HASH_SECONDS = Math.max(3, SECONDS / 2);
  private static final int REFRESH_CONNECTIONS = 16;
  private static final int PROFILED_CONNECTIONS_PER_TURN = 2;

  /** How the profiled runs were profiled, for the report. */
  private static final String PROFILED =
      "with async-profiler in the server (one sample per millisecond of each thread's CPU, native"
          + " frames included, kernel frames too where kernel.perf_event_paranoid is 1 or less;"
          + " each stack counted in the first part that matches it, in the order of the table)";

  private static final String HEAP = "-Xms1g -Xmx1g";

  /** The server every process runs on: {@code payara} or {@code wildfly} ({@code -Dit.server}). */
  private static final String SERVER = System.getProperty("it.server", "payara");

  /**
   * {@code -Dbench.requestPathOnly=true}: the two request-path tables only (the WildFly run), no
   * grants and no memory.
   */
  private static final boolean REQUEST_PATH_ONLY = Boolean.getBoolean("bench.requestPathOnly");

  private final PortcullisServer server;
  private final PortcullisServer bare;
  private final PortcullisServer bareMechanism;
  private final Api api;
  private final Wrk wrk;
  private final Path work;
  private final StringBuilder report = new StringBuilder();
  private double ceiling;

  /** The targets and where this run landed, for the table at the top. */
  private final MarkdownTable targets = new MarkdownTable("target", "goal", "this run", "met");

  private LoadBenchmark(
      PortcullisServer server,
      PortcullisServer bare,
      PortcullisServer bareMechanism,
      Wrk wrk,
      Path work) {
    this.server = server;
    this.bare = bare;
    this.bareMechanism = bareMechanism;
    this.api = new Api(server);
    this.wrk = wrk;
    this.work = work;
  }

  public static void main(String[] args) throws IOException {
    var out = Path.of(System.getProperty("bench.out", "target/benchmarks")).toAbsolutePath();
    var script =
        Path.of(System.getProperty("bench.scripts", "src/bench/wrk"))
            .resolve("portcullis.lua")
            .toAbsolutePath();
    if (!Wrk.installed()) {
      System.err.println("The load benchmark needs wrk on the PATH: apt-get install wrk");
      System.exit(2);
    }
    var settings = new LinkedHashMap<String, String>();
    // every token of the population must outlive the run
    settings.put("PORTCULLIS_TOKEN_ACCESS_TTL", "PT2H");
    // one client IP makes every request: the limits stay on (their cost is measured) but high
    settings.put("PORTCULLIS_RATE_LIMIT_IP_ATTEMPTS", "1000000000");
    settings.put("PORTCULLIS_RATE_LIMIT_API_KEY_FAILURES", "1000000000");
    settings.put("JAVA_OPTS", HEAP);
    var work = out.resolve("load-work");
    String result;
    log("starting Portcullis and the bare servers on %s", serverName());
    try (var server = PortcullisServer.start("bench", settings);
        var bare = startBare("bench-bare", BareWar.build(work.resolve("bare.war"), false));
        var bareMechanism =
            startBare(
                "bench-bare-mechanism", BareWar.build(work.resolve("bare-mechanism.war"), true))) {
      var benchmark =
          new LoadBenchmark(server, bare, bareMechanism, new Wrk(script, WRK_THREADS), work);
      benchmark.run();
      result = benchmark.report.toString();
    }
    Files.createDirectories(out);
    String file = SERVER.equals("payara") ? "load.md" : "load-" + SERVER + ".md";
    Files.writeString(out.resolve(file), result);
    System.out.println(result);
    System.out.println("written to " + out.resolve(file));
    System.exit(0);
  }

  /**
   * A bare server: {@code war} on the same start script, server jar and JVM options as Portcullis,
   * so that the two differ by Portcullis alone.
   */
  private static PortcullisServer startBare(String name, Path war) {
    return PortcullisServer.start(
        name, Map.of("PORTCULLIS_WAR", war.toAbsolutePath().toString(), "JAVA_OPTS", HEAP));
  }

  private static String serverName() {
    return SERVER.equals("payara") ? "Payara Micro" : "WildFly";
  }

  private void run() {
    machine();
    log(
        "populating: %d users, %d access tokens, %d API keys, %d sessions",
        USERS, TOKENS, KEYS, SESSIONS);
    long started = System.nanoTime();
    var population = Population.create(api, USERS, TOKENS, KEYS, SESSIONS, CLIENTS);
    log("populated in %d s", (System.nanoTime() - started) / 1_000_000_000L);
    var credentials =
        List.of(
            new Credential(
                "none",
                "X-Bench-Padding",
                "Bearer ",
                population.accessTokens,
                "the same bytes as the bearer case, in a header nobody reads"),
            new Credential(
                "bearer JWT (PS256)",
                "Authorization",
                "Bearer ",
                population.accessTokens,
                TOKENS + " distinct tokens"),
            new Credential("API key", "X-API-Key", "", population.apiKeys, KEYS + " distinct keys"),
            new Credential(
                "session cookie",
                "Cookie",
                "__Host-portcullis=",
                population.sessions,
                SESSIONS + " distinct sessions"));
    credentials.forEach(c -> c.file = Population.write(work.resolve(c.fileName()), c.values));
    checkCredentialsAreValidated(credentials);
    requestOverhead(credentials);
    forwardAuth(credentials);
    if (!REQUEST_PATH_ONLY) {
      // grants before memory: the memory phase restarts the server, and logins measured on a cold
      // JIT say more about C2's backlog than about Portcullis (a production server runs warm)
      grants(population);
      memory(credentials);
    }
    int body = report.indexOf("## ");
    report.insert(body, "## Targets (issues 6 and 18)\n\n" + targets + "\n");
  }

  /** One way of presenting a credential, with its population. */
  private static final class Credential {
    final String name;
    final String header;
    final String prefix;
    final List<String> values;
    final String population;
    Path file;

    Credential(String name, String header, String prefix, List<String> values, String population) {
      this.name = name;
      this.header = header;
      this.prefix = prefix;
      this.values = values;
      this.population = population;
    }

    boolean authenticates() {
      return !header.equals("X-Bench-Padding");
    }

    String fileName() {
      return header.toLowerCase().replaceAll("[^a-z]", "") + ".txt";
    }

    String[] wrkArgs() {
      return new String[] {"header", file.toString(), header, prefix};
    }
  }

  private void machine() {
    report.append("# Portcullis load benchmark\n\n");
    report
        .append("Run ")
        .append(OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS))
        .append(" on ")
        .append(Machine.cpu())
        .append(", ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores, ")
        .append(Machine.memory())
        .append("; server: ")
        .append(serverName())
        .append(" (")
        .append(HEAP)
        .append(", ")
        .append(Machine.java())
        .append("), ")
        .append(database())
        .append("; load: wrk on loopback, ")
        .append(WRK_THREADS)
        .append(" threads, same machine.\n\n");
  }

  private String database() {
    var db = server.database();
    if (!db.url().startsWith("jdbc:postgresql:")) {
      return "H2 (" + db.url().replaceAll(";.*", "") + ")";
    }
    try (var connection = DriverManager.getConnection(db.url(), db.user(), db.password());
        var result = connection.createStatement().executeQuery("SHOW server_version")) {
      result.next();
      return "PostgreSQL " + result.getString(1).replaceAll(" .*", "") + " on loopback";
    } catch (SQLException e) {
      return "PostgreSQL";
    }
  }

  /**
   * Every credential must work ({@code /api/v1/me} 200) and be checked (tampered: 401), and pass on
   * {@code /health/live}. The mechanism validates whatever credential a request carries on every
   * path (a tampered bearer token or key gets 401 on {@code /health/live} too; a stale cookie is
   * looked up, then ignored there), so the overhead table measures the full validation.
   */
  private void checkCredentialsAreValidated(List<Credential> credentials) {
    for (var c : credentials.subList(1, credentials.size())) {
      String value = c.values.get(0);
      int at = value.length() - 10;
      String tampered =
          value.substring(0, at) + (value.charAt(at) == 'A' ? 'B' : 'A') + value.substring(at + 1);
      int good = api.get("/api/v1/me", c.header, c.prefix + value).status();
      int bad = api.get("/api/v1/me", c.header, c.prefix + tampered).status();
      int live = api.get("/health/live", c.header, c.prefix + value).status();
      if (good != 200 || bad != 401 || live != 200) {
        throw new IllegalStateException(
            c.name + ": /api/v1/me " + good + ", tampered " + bad + ", /health/live " + live);
      }
    }
  }

  /** One measured case: a URL of one of the servers, with the headers of one credential. */
  private record Case(String name, String url, Credential credential, String population) {}

  /**
   * Warms every case up, then runs them in {@link #ROUNDS} interleaved rounds (so that a drift of
   * the machine's speed hits every case alike).
   */
  private Map<Case, List<Wrk.Result>> interleaved(String table, List<Case> cases) {
    log("%s: warming up", table);
    cases.forEach(
        c -> wrk.run(c.url(), CONNECTIONS, OVERHEAD_WARM_UP_SECONDS, c.credential().wrkArgs()));
    var results = new LinkedHashMap<Case, List<Wrk.Result>>();
    for (int round = 1; round <= ROUNDS; round++) {
      for (var c : cases) {
        var result = wrk.run(c.url(), CONNECTIONS, SECONDS, c.credential().wrkArgs());
        log("%s round %d, %s: %s req/s", table, round, c.name(), number(result.perSecond()));
        results.computeIfAbsent(c, k -> new ArrayList<>()).add(result);
      }
    }
    return results;
  }

  private static final String MEASURED =
      "wrk -t%d -c%d, %d interleaved rounds of %d s per case after a %d s warm-up each;"
          + " requests/s is the mean of the rounds, latencies the median round's.";

  /**
   * {@code GET /health/live} of the bare server (its JAX-RS resource), of the bare server with a
   * mechanism that does nothing, and of Portcullis without and with each credential.
   */
  private void requestOverhead(List<Credential> credentials) {
    var none = credentials.get(0);
    var cases = new ArrayList<Case>();
    cases.add(
        new Case(
            "bare server: JAX-RS resource",
            bare.baseUrl() + "/health/live",
            none,
            "no Portcullis; same header bytes as the bearer case"));
    cases.add(
        new Case(
            "bare server + a mechanism that does nothing",
            bareMechanism.baseUrl() + "/health/live",
            none,
            "the container's Jakarta Security path alone"));
    for (var c : credentials) {
      cases.add(
          new Case(
              "Portcullis, " + c.name + (c.authenticates() ? "" : " (anonymous)"),
              server.baseUrl() + "/health/live",
              c,
              c.population));
    }
    var results = interleaved("request overhead", cases);
    double bareJaxRs = mean(results.get(cases.get(0)));
    double mechanismOnly = mean(results.get(cases.get(1)));
    ceiling = mean(results.get(cases.get(2)));
    var table =
        new MarkdownTable(
            "case",
            "population",
            "requests/s",
            "rounds",
            "p50",
            "p99",
            "non-2xx",
            "÷ bare JAX-RS",
            "÷ bare + mechanism",
            "÷ Portcullis anonymous");
    results.forEach(
        (c, rounds) -> {
          var median = medianByThroughput(rounds);
          double perSecond = mean(rounds);
          if (c.credential() == none && c.url().startsWith(server.baseUrl())) {
            target(
                "/health/live without a credential ÷ bare JAX-RS",
                "≥ 90 %",
                percent(perSecond / bareJaxRs),
                perSecond / bareJaxRs >= 0.9);
          } else if (c.credential().authenticates()) {
            target(
                c.credential().name + " on /health/live ÷ bare JAX-RS",
                "≥ 85 %",
                percent(perSecond / bareJaxRs),
                perSecond / bareJaxRs >= 0.85);
            target(
                c.credential().name + " ÷ Portcullis anonymous",
                "≥ 90 %",
                percent(perSecond / ceiling),
                perSecond / ceiling >= 0.9);
          }
          table.row(
              c.name(),
              c.population(),
              number(perSecond),
              String.join(" / ", rounds.stream().map(r -> number(r.perSecond())).toList()),
              millis(median.p50()),
              millis(median.p99()),
              rounds.stream().mapToLong(Wrk.Result::non2xx).sum(),
              percent(perSecond / bareJaxRs),
              percent(perSecond / mechanismOnly),
              percent(perSecond / ceiling));
        });
    report
        .append("## Request overhead: GET /health/live\n\n")
        .append(
            String.format(
                MEASURED, WRK_THREADS, CONNECTIONS, ROUNDS, SECONDS, OVERHEAD_WARM_UP_SECONDS))
        .append(
            " The bare server is the same server jar, start script and JVM options with a WAR of"
                + " one servlet and one JAX-RS resource that answers the same JSON (no"
                + " Portcullis); the second bare server adds a Jakarta Security mechanism that"
                + " authenticates nobody, which is what the container charges any application"
                + " with a mechanism before the mechanism does anything.\n\n")
        .append(table)
        .append('\n');
  }

  /**
   * {@code GET /api/v1/auth/verify}, the forward-auth endpoint a reverse proxy calls per request,
   * against the bare server's servlet (forward auth need not be a JAX-RS resource).
   */
  private void forwardAuth(List<Credential> credentials) {
    var none = credentials.get(0);
    var cases = new ArrayList<Case>();
    cases.add(
        new Case("bare server: servlet", bare.baseUrl() + "/servlet/live", none, "no Portcullis"));
    cases.add(
        new Case(
            "bare server + a mechanism that does nothing: servlet",
            bareMechanism.baseUrl() + "/servlet/live",
            none,
            "the container's Jakarta Security path alone"));
    for (var c : credentials.subList(1, credentials.size())) {
      cases.add(
          new Case(
              "Portcullis verify, " + c.name,
              server.baseUrl() + "/api/v1/auth/verify",
              c,
              c.population));
    }
    var results = interleaved("forward auth", cases);
    double bareServlet = mean(results.get(cases.get(0)));
    double mechanismOnly = mean(results.get(cases.get(1)));
    var table =
        new MarkdownTable(
            "case",
            "requests/s",
            "rounds",
            "p50",
            "p99",
            "non-2xx",
            "÷ bare servlet",
            "÷ bare servlet + mechanism",
            "÷ Portcullis anonymous /health/live");
    results.forEach(
        (c, rounds) -> {
          var median = medianByThroughput(rounds);
          double perSecond = mean(rounds);
          if (c.credential().authenticates()) {
            target(
                "forward auth, " + c.credential().name + " ÷ bare servlet",
                "≥ 60 %",
                percent(perSecond / bareServlet),
                perSecond / bareServlet >= 0.6);
          }
          table.row(
              c.name(),
              number(perSecond),
              String.join(" / ", rounds.stream().map(r -> number(r.perSecond())).toList()),
              millis(median.p50()),
              millis(median.p99()),
              rounds.stream().mapToLong(Wrk.Result::non2xx).sum(),
              percent(perSecond / bareServlet),
              percent(perSecond / mechanismOnly),
              percent(perSecond / ceiling));
        });
    report
        .append("## Forward authentication: GET /api/v1/auth/verify\n\n")
        .append(
            String.format(
                MEASURED, WRK_THREADS, CONNECTIONS, ROUNDS, SECONDS, OVERHEAD_WARM_UP_SECONDS))
        .append(
            " The endpoint a reverse proxy asks on every request (the caller in X-Auth-*"
                + " headers), against the bare server's servlet.\n\n")
        .append(table)
        .append('\n');
  }

  /**
   * Heap per cached entry: restart (empty caches), warm up with credentials left out of the count,
   * then read the live heap before and after presenting every other credential once.
   */
  private void memory(List<Credential> credentials) {
    log("memory: restarting the server for empty caches");
    server.restart();
    int warmUp = Math.min(100, SESSIONS / 10);
    for (var c : credentials.subList(1, credentials.size())) {
      present(c, c.values.subList(0, warmUp));
    }
    var padding = credentials.get(0).values;
    present(credentials.get(0), padding.subList(0, Math.min(2000, padding.size())));
    var table =
        new MarkdownTable("cached entry", "entries", "live heap before", "after", "per entry");
    long before = HeapProbe.liveBytes(server.pid());
    for (var c : credentials.subList(1, credentials.size())) {
      var measured = c.values.subList(warmUp, c.values.size());
      present(c, measured);
      long after = HeapProbe.liveBytes(server.pid());
      table.row(
          c.name,
          measured.size(),
          mib(before),
          mib(after),
          String.format("%,d bytes", (after - before) / measured.size()));
      long perEntry = (after - before) / measured.size();
      target(
          "heap per cached " + c.name,
          "≤ 2 KB",
          String.format("%,d bytes", perEntry),
          perEntry <= 2048);
      log("memory %s: %d bytes per entry", c.name, (after - before) / measured.size());
      before = after;
    }
    report
        .append("## Memory per cached credential\n\n")
        .append(
            "Live heap after a full GC (jcmd GC.class_histogram) before and after presenting each"
                + " credential once, in a freshly restarted server warmed up with "
                + warmUp
                + " others of each kind. The difference is everything retained for them: cache"
                + " entry, key, parsed token or record, and the owners' user snapshots ("
                + USERS
                + " users).\n\n")
        .append(table)
        .append('\n');
  }

  private void grants(Population population) {
    int cores = Runtime.getRuntime().availableProcessors();
    var users = population.users.stream().map(u -> u.username() + "\t" + u.password()).toList();
    Path usersFile = Population.write(work.resolve("users.txt"), users);
    String loginUrl = server.baseUrl() + "/api/v1/auth/login";
    MarkdownTable logins;
    String loginWarmUp;
    String loginProfile;
    log("grants: the Argon2id ceiling, in a JVM kept warm beside the server");
    try (var ceiling = HashCeiling.start(HEAP, cores)) {
      loginWarmUp = warmUpLogins(loginUrl, cores, usersFile);
      logins = logins(ceiling, cores, loginUrl, usersFile);
      loginProfile = loginProfile(ceiling, cores, loginUrl, usersFile);
    }

    String refreshUrl = server.baseUrl() + "/api/v1/auth/refresh";
    wrk.run(refreshUrl, REFRESH_CONNECTIONS, GRANT_WARM_UP_SECONDS, refreshArgs(population));
    var refreshArgs = refreshArgs(population);
    var beforeRefresh = CpuTime.now(server.pid());
    var refresh = wrk.run(refreshUrl, REFRESH_CONNECTIONS, SECONDS, refreshArgs);
    var refreshCpu = CpuTime.now(server.pid()).since(beforeRefresh);
    log("refresh: %s/s, statuses %s", number(refresh.perSecond(200)), refresh.statuses());
    target(
        "refresh grants (PostgreSQL, rotation)",
        "≥ 600/s",
        number(refresh.perSecond(200)) + "/s",
        refresh.perSecond(200) >= 600);
    String refreshProfile = refreshProfile(population);
    String jwksUrl = server.baseUrl() + "/.well-known/jwks.json";
    wrk.run(jwksUrl, CONNECTIONS, WARM_UP_SECONDS, "plain");
    var jwks = wrk.run(jwksUrl, CONNECTIONS, SECONDS, "plain");
    log("jwks: %s/s", number(jwks.perSecond()));

    report
        .append("## Grants\n\n")
        .append(
            String.format(
                "Argon2id m=%d KiB, t=%d, p=%d (the defaults). The hash-only ceiling is the"
                    + " server's own hashing code in a JVM of its own with the server's JVM options"
                    + " and heap settings, started once and kept warm, measured while the server"
                    + " is idle right before each login run: %d threads' verifications per second"
                    + " for %d s, then one thread's time per verification for %d s. Each row"
                    + " compares its logins with the ceiling measured next to it (this machine's"
                    + " speed was seen to drift by a third within a minute), and the %d-connection"
                    + " run lasts %d s (other rows %d s) and is repeated %d times; the targets take"
                    + " the median. The CPU columns"
                    + " are the server JVM's and all PostgreSQL processes' CPU time (/proc) during"
                    + " the run, per request; the rest of the two cores is wrk and the kernel.\n\n",
                Argon2Settings.OWASP.memoryKib(),
                Argon2Settings.OWASP.iterations(),
                Argon2Settings.OWASP.parallelism(),
                Runtime.getRuntime().availableProcessors(),
                SECONDS,
                SINGLE_HASH_SECONDS,
                Runtime.getRuntime().availableProcessors(),
                SATURATED_LOGIN_SECONDS,
                SECONDS,
                ROUNDS))
        .append("### Password logins (POST /api/v1/auth/login, ")
        .append(USERS)
        .append(" users in turn)\n\n")
        .append("Warm-up at ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" connections before the first row: ")
        .append(loginWarmUp)
        .append(".\n\n")
        .append(logins)
        .append('\n')
        .append(loginProfile)
        .append("### Refresh grants and JWKS\n\n")
        .append(
            new MarkdownTable(
                    "request",
                    "connections",
                    "per second",
                    "p50",
                    "p99",
                    "non-200",
                    "server CPU / request",
                    "PostgreSQL CPU / request")
                .row(
                    "POST /api/v1/auth/refresh (rotation, reuse detection, audit)",
                    REFRESH_CONNECTIONS,
                    number(refresh.perSecond(200)),
                    millis(refresh.p50()),
                    millis(refresh.p99()),
                    refresh.requests() - refresh.status(200),
                    perRequest(refreshCpu.server(), refresh.requests()),
                    perRequest(refreshCpu.postgres(), refresh.requests()))
                .row(
                    "GET /.well-known/jwks.json",
                    CONNECTIONS,
                    number(jwks.perSecond()),
                    millis(jwks.p50()),
                    millis(jwks.p99()),
                    jwks.non2xx(),
                    "",
                    ""))
        .append('\n')
        .append(refreshProfile);
  }

  /**
   * Logs in until the JIT's compiler threads have stayed below {@link #COMPILER_QUIET_SHARE} of a
   * core for two chunks in a row (at most {@link #LOGIN_WARM_UP_MAX_SECONDS}): a production server
   * has long compiled its login path, and C2 working beside the measured logins would count as
   * Portcullis's overhead. Returns what the warm-up took, for the report.
   */
  private String warmUpLogins(String loginUrl, int cores, Path usersFile) {
    long logins = 0;
    int seconds = 0;
    int quiet = 0;
    double share = 1;
    while (quiet < 2 && seconds < LOGIN_WARM_UP_MAX_SECONDS) {
      double compilerBefore = CpuTime.compilerSeconds(server.pid());
      var chunk =
          wrk.run(loginUrl, cores, LOGIN_WARM_UP_CHUNK_SECONDS, "login", usersFile.toString());
      share =
          (CpuTime.compilerSeconds(server.pid()) - compilerBefore) / LOGIN_WARM_UP_CHUNK_SECONDS;
      seconds += LOGIN_WARM_UP_CHUNK_SECONDS;
      logins += chunk.requests();
      quiet = share < COMPILER_QUIET_SHARE ? quiet + 1 : 0;
      log(
          "login warm-up %d s: %s logins/s, compiler threads %s of a core",
          seconds, number(chunk.perSecond(200)), percent(share));
    }
    return String.format(
        Locale.ROOT,
        "%d s, %,d logins, until the JIT's compiler threads used less than %s of a core for %d s"
            + " (%s in the last %d s%s)",
        seconds,
        logins,
        percent(COMPILER_QUIET_SHARE),
        2 * LOGIN_WARM_UP_CHUNK_SECONDS,
        percent(share),
        LOGIN_WARM_UP_CHUNK_SECONDS,
        quiet < 2 ? "; stopped at the limit, not settled" : "");
  }

  /**
   * Logins at each of {@link #LOGIN_CONNECTIONS} (the saturation point, one connection per core,
   * {@link #ROUNDS} times), each against the hash ceiling measured right before it.
   */
  private MarkdownTable logins(HashCeiling ceiling, int cores, String loginUrl, Path usersFile) {
    var table =
        new MarkdownTable(
            "connections",
            "logins/s",
            "hash ceiling",
            "÷ hash ceiling",
            "p50",
            "p99",
            "one hash",
            "p99 ÷ one hash",
            "503 (no hashing turn)",
            "other non-200",
            "server CPU / request",
            "PostgreSQL CPU / request");
    var saturationRatios = new ArrayList<Double>();
    var saturationP99s = new ArrayList<Double>();
    double capacity = 0;
    int overload = LOGIN_CONNECTIONS[LOGIN_CONNECTIONS.length - 1];
    for (int connections : LOGIN_CONNECTIONS) {
      for (int round = 0; round < (connections == cores ? ROUNDS : 1); round++) {
        var parallel = ceiling.measure(cores, SECONDS);
        var single = ceiling.measure(1, SINGLE_HASH_SECONDS);
        var before = CpuTime.now(server.pid());
        int seconds = connections == cores ? SATURATED_LOGIN_SECONDS : SECONDS;
        var result = wrk.run(loginUrl, connections, seconds, "login", usersFile.toString());
        var cpu = CpuTime.now(server.pid()).since(before);
        double ratio = result.perSecond(200) / parallel.perSecond();
        double p99 = result.p99() / 1000.0 / single.millisEach();
        log(
            "logins c=%d: %s/s (ceiling %s/s, %s), p99 %.2f × one hash, statuses %s",
            connections,
            number(result.perSecond(200)),
            number(parallel.perSecond()),
            percent(ratio),
            p99,
            result.statuses());
        if (connections == cores) {
          saturationRatios.add(ratio);
          saturationP99s.add(p99);
        }
        if (result.status(503) == 0 && connections != overload) {
          capacity = Math.max(capacity, ratio);
        }
        if (connections == overload) {
          target(
              "logins beyond capacity (" + connections + " connections)",
              "503 + Retry-After, no timeouts",
              result.status(503) + " × 503, " + result.socketErrors() + " socket errors",
              result.status(503) > 0 && result.socketErrors() == 0);
        }
        table.row(
            connections,
            number(result.perSecond(200)),
            number(parallel.perSecond()) + "/s",
            percent(ratio),
            millis(result.p50()),
            millis(result.p99()),
            String.format("%.1f ms", single.millisEach()),
            String.format("%.2f", p99),
            result.status(503),
            result.requests() - result.status(200) - result.status(503),
            perRequest(cpu.server(), result.requests()),
            perRequest(cpu.postgres(), result.requests()));
        if (connections > cores) {
          sleep(3000); // let the queued logins drain before the ceiling measures again
        }
      }
    }
    double ratio = median(saturationRatios);
    double p99 = median(saturationP99s);
    target(
        "password logins ÷ hash-only ceiling (" + cores + " connections, median of " + ROUNDS + ")",
        "≥ 85 %",
        percent(ratio),
        ratio >= 0.85);
    target(
        "login p99 at saturation (" + cores + " connections, median of " + ROUNDS + ") ÷ one hash",
        "< 2",
        String.format("%.2f", p99),
        p99 < 2);
    // the server's login capacity: its best throughput without refusing any (hashing is capped at
    // one per core, so more connections only queue)
    target(
        "password logins at capacity (best of 1–16 connections) ÷ hash-only ceiling",
        "≥ 85 %",
        percent(capacity),
        capacity >= 0.85);
    return table;
  }

  /**
   * Where a login's CPU goes at capacity ({@link #PROFILED_CONNECTIONS_PER_TURN} connections per
   * hashing turn, so that no turn waits for a client): one more login run with async-profiler in
   * the server, next to the hash ceiling measured right before it. The Argon2id row against the
   * ceiling's time per verification says whether the hash itself is slower inside the server; the
   * other rows are the overhead the login target counts.
   */
  private String loginProfile(HashCeiling ceiling, int cores, String loginUrl, Path usersFile) {
    int connections = cores * PROFILED_CONNECTIONS_PER_TURN;
    var parallel = ceiling.measure(cores, SECONDS);
    var profiled = profiled(loginUrl, connections, "login", usersFile.toString());
    String heading = "### Where a login's CPU goes\n\n";
    if (profiled.failure() != null) {
      return heading + "Not profiled: " + profiled.failure() + ".\n\n";
    }
    double argon2 = profiled.parts().millisPerRequest().getOrDefault(CpuProfile.Part.ARGON2, 0.0);
    double all = profiled.millisPerRequest();
    log(
        "login profile c=%d: %s logins/s, Argon2id %.1f of %.1f ms CPU per login, ceiling %.1f ms",
        connections, number(profiled.run().perSecond(200)), argon2, all, parallel.millisEach());
    return heading
        + String.format(
            Locale.ROOT,
            "One more run at %d connections (%d per hashing turn, so no turn waits for its"
                + " client) for %d s %s: %s logins/s, %d non-200, against a hash ceiling of %s/s"
                + " measured right before it. Argon2id took %.1f ms of CPU per login inside the"
                + " server, against %.1f ms per verification in the ceiling's %d threads, and was"
                + " %s of all the CPU a login cost: the share of the ceiling the logins could"
                + " reach if wrk did not share the cores.\n\n",
            connections,
            PROFILED_CONNECTIONS_PER_TURN,
            SECONDS,
            PROFILED,
            number(profiled.run().perSecond(200)),
            profiled.run().requests() - profiled.run().status(200),
            number(parallel.perSecond()),
            argon2,
            parallel.millisEach(),
            cores,
            percent(argon2 / all))
        + profiled.table()
        + '\n';
  }

  /** Where a refresh grant's CPU goes: one more refresh run, on fresh tokens, profiled. */
  private String refreshProfile(Population population) {
    String url = server.baseUrl() + "/api/v1/auth/refresh";
    var profiled = profiled(url, REFRESH_CONNECTIONS, refreshArgs(population));
    String heading = "### Where a refresh grant's CPU goes\n\n";
    if (profiled.failure() != null) {
      return heading + "Not profiled: " + profiled.failure() + ".\n\n";
    }
    log(
        "refresh profile: %s/s, %.2f ms CPU per refresh",
        number(profiled.run().perSecond(200)), profiled.millisPerRequest());
    return heading
        + String.format(
            Locale.ROOT,
            "One more refresh run at %d connections for %d s %s: %s/s, %d non-200.\n\n",
            REFRESH_CONNECTIONS,
            SECONDS,
            PROFILED,
            number(profiled.run().perSecond(200)),
            profiled.run().requests() - profiled.run().status(200))
        + profiled.table()
        + '\n';
  }

  /** A wrk run with the server's CPU profiled by part, or why it could not be. */
  private record Profiled(
      Wrk.Result run,
      CpuProfile.Result parts,
      double serverMillis,
      double postgresMillis,
      String failure) {

    /**
     * The server's CPU (/proc) not in the samples: its kernel time where {@code
     * kernel.perf_event_paranoid} is above 1 (Debian's default is 2), which lets the profiler see
     * user code only.
     */
    double unsampledMillis() {
      return Math.max(0, serverMillis - parts.total());
    }

    /** The server's and PostgreSQL's CPU per request. */
    double millisPerRequest() {
      return parts.total() + unsampledMillis() + postgresMillis;
    }

    MarkdownTable table() {
      double all = millisPerRequest();
      var table = new MarkdownTable("part", "CPU per request", "share");
      parts
          .millisPerRequest()
          .forEach((part, millis) -> table.row(part.label, ms(millis), percent(millis / all)));
      if (unsampledMillis() >= 0.01) {
        table.row(
            "the server's CPU not in the samples (/proc minus samples: kernel time, when"
                + " perf_event_paranoid > 1 hides it from the profiler)",
            ms(unsampledMillis()),
            percent(unsampledMillis() / all));
      }
      return table
          .row(
              "PostgreSQL (all its processes, from /proc)",
              ms(postgresMillis),
              percent(postgresMillis / all))
          .row("**all of it**", "**" + ms(all) + "**", "100 %");
    }

    private static String ms(double millis) {
      return String.format(Locale.ROOT, "%.2f ms", millis);
    }
  }

  private Profiled profiled(String url, int connections, String... args) {
    CpuProfile profile;
    try {
      profile = CpuProfile.start(server.pid(), work.resolve("profile"));
    } catch (IllegalStateException e) {
      log("profile not taken: %s", e.getMessage());
      return new Profiled(null, null, 0, 0, e.getMessage());
    }
    var before = CpuTime.now(server.pid());
    var run = wrk.run(url, connections, SECONDS, args);
    var cpu = CpuTime.now(server.pid()).since(before);
    try {
      var parts = profile.stop(run.requests());
      double perRequest = 1000.0 / Math.max(1, run.requests());
      return new Profiled(run, parts, cpu.server() * perRequest, cpu.postgres() * perRequest, null);
    } catch (IllegalStateException e) {
      log("profile failed: %s", e.getMessage());
      return new Profiled(run, null, 0, 0, e.getMessage());
    }
  }

  private static double median(List<Double> values) {
    var sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }

  private void target(String what, String goal, String measured, boolean met) {
    targets.row(what, goal, measured, met ? "yes" : "**no**");
  }

  /** A fresh refresh token per user (each run spends the ones it is given). */
  private String[] refreshArgs(Population population) {
    var tokens = new ArrayList<String>();
    var pool = Executors.newFixedThreadPool(CLIENTS);
    try {
      var futures =
          population.users.stream().map(u -> pool.submit(() -> refreshTokenOf(u))).toList();
      for (var future : futures) {
        tokens.add(future.get());
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot log the users in for refresh tokens", e);
    } finally {
      pool.shutdownNow();
    }
    Path file = Population.write(work.resolve("refresh.txt"), tokens);
    return new String[] {"refresh", file.toString(), Integer.toString(WRK_THREADS)};
  }

  /** Logs {@code user} in and returns the refresh token, waiting out a busy server (503). */
  private String refreshTokenOf(Population.User user) {
    for (int attempt = 0; ; attempt++) {
      var reply = api.post("/api/v1/auth/login", Api.credentials(user.username(), user.password()));
      if (reply.status() == 200) {
        return reply.json().getString("refresh_token");
      }
      if (reply.status() != 503 || attempt == 30) {
        throw new IllegalStateException("login gave " + reply.status() + ": " + reply.body());
      }
      sleep(1000);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Presents each value once (a few clients at a time); every answer must be 200. */
  private void present(Credential credential, List<String> values) {
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    var failures = new AtomicInteger();
    for (String value : values) {
      pool.submit(
          () -> {
            if (api.get("/health/live", credential.header, credential.prefix + value).status()
                != 200) {
              failures.incrementAndGet();
            }
          });
    }
    pool.shutdown();
    try {
      pool.awaitTermination(10, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (failures.get() > 0) {
      throw new IllegalStateException(failures + " " + credential.name + " refused");
    }
  }

  private static double mean(List<Wrk.Result> results) {
    return results.stream().mapToDouble(Wrk.Result::perSecond).average().orElse(0);
  }

  private static Wrk.Result medianByThroughput(List<Wrk.Result> results) {
    var sorted = new ArrayList<>(results);
    sorted.sort((a, b) -> Double.compare(a.perSecond(), b.perSecond()));
    return sorted.get(sorted.size() / 2);
  }

  private static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / 1048576.0);
  }

  private static void log(String format, Object... args) {
    System.out.printf("[bench] " + format + "%n", args);
  }
}
