package dev.portcullis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The database stops mid-run (PostgreSQL variant: the cluster is stopped with {@code
 * pg_ctlcluster}) or hangs (its processes are frozen with SIGSTOP): every authentication path
 * answers 503 with {@code Retry-After} within a few seconds — never 500, never a success — and
 * service resumes, without restarting Portcullis, once the database is back. Runs only against
 * PostgreSQL on this machine (as in {@code .ci/run}).
 */
@ExtendWith(SharedServer.class)
class DatabaseFaultIT {

  private static PortcullisServer server;
  private static String[] cluster;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(
        System.getProperty("it.db.url", "").startsWith("jdbc:postgresql://127.0.0.1")
            && System.getProperty("it.baseUrl", "").isBlank(),
        "needs a local PostgreSQL cluster this test may stop");
    cluster = run("pg_lsclusters", "-h").strip().split("\\s+");
    server = PortcullisServer.start("faults", Map.of());
  }

  @AfterAll
  static void stop(Api shared) throws Exception {
    if (cluster != null) {
      startCluster();
    }
    if (server != null) {
      server.stop();
    }
    if (cluster != null) {
      healed(shared);
    }
  }

  /**
   * Waits until the shared server, whose pooled connections died with the cluster too, serves
   * again, so the classes after this one do not meet them. Payara validates a connection before
   * lending it; WildFly's pool drops a dead one when a call on it fails (ClosedConnectionSignal),
   * one per failed request, so each failing readiness probe below retires one.
   */
  private static void healed(Api shared) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(120);
    int healthy = 0;
    // more consecutive answers than the pool holds connections (WildFly's default maximum: 20)
    while (healthy < 40 && Instant.now().isBefore(deadline)) {
      if (shared.get("/health/ready").status() == 200) {
        healthy++;
      } else {
        healthy = 0;
        Thread.sleep(50);
      }
    }
  }

  @Test
  void databaseDownGives503WithRetryAfterAndRecoversWithoutRestart() throws Exception {
    var api = new Api(server);
    String name = Api.unique("fault");
    api.createUser(name, "Fault-Tolerant-1", "user");
    var before = api.login(name, "Fault-Tolerant-1");

    run("pg_ctlcluster", cluster[0], cluster[1], "stop", "-m", "fast");
    try {
      for (var attempt : new String[] {"login", "refresh", "password"}) {
        Instant started = Instant.now();
        Api.Reply reply =
            switch (attempt) {
              case "login" ->
                  api.post("/api/v1/auth/login", Api.credentials(name, "Fault-Tolerant-1"));
              case "refresh" ->
                  api.post(
                      "/api/v1/auth/refresh",
                      "{\"refresh_token\":\"" + before.getString("refresh_token") + "\"}");
              default ->
                  api.post(
                      "/api/v1/auth/password",
                      "{\"username\":\""
                          + name
                          + "\",\"password\":\"Fault-Tolerant-1\",\"new_password\":\"Fault-Tolerant-2\"}");
            };
        Duration took = Duration.between(started, Instant.now());
        assertThat(reply.status()).as(attempt).isEqualTo(503);
        assertThat(reply.header("Retry-After")).as(attempt).isNotNull();
        assertThat(reply.code()).as(attempt).isEqualTo("SERVICE_UNAVAILABLE");
        assertThat(reply.body()).as(attempt).doesNotContain("Exception").doesNotContain("SQL");
        assertThat(took)
            .as(attempt + " answered within the bound")
            .isLessThan(Duration.ofSeconds(6));
      }
      assertThat(api.get("/health/ready").status()).isEqualTo(503);
      var form = api.submitLoginForm(name, "Fault-Tolerant-1", "/account");
      assertThat(form.status()).as("the login page's form").isEqualTo(503);
      assertThat(form.header("Retry-After")).isNotNull();
      assertThat(form.body()).doesNotContain("Exception").doesNotContain("SQL");
    } finally {
      startCluster();
    }

    Instant deadline = Instant.now().plusSeconds(60);
    int status = 0;
    while (Instant.now().isBefore(deadline) && status != 200) {
      status = api.post("/api/v1/auth/login", Api.credentials(name, "Fault-Tolerant-1")).status();
      if (status != 200) {
        Thread.sleep(1_000);
      }
    }
    assertThat(status).as("service resumes without a restart").isEqualTo(200);
    assertThat(api.get("/health/ready").status()).isEqualTo(200);
  }

  @Test
  void aHungDatabaseGives503WithinTheBoundAndRecovers() throws Exception {
    var api = new Api(server);
    String name = Api.unique("hung");
    api.createUser(name, "Hung-Database-1", "user");
    String pids = run("pgrep", "-u", "postgres").strip().replace('\n', ' ');
    assertThat(pids).isNotBlank();
    run(("kill -STOP " + pids).split(" "));
    try {
      for (int i = 0; i < 3; i++) {
        Instant started = Instant.now();
        var reply = api.post("/api/v1/auth/login", Api.credentials(name, "Hung-Database-1"));
        Duration took = Duration.between(started, Instant.now());
        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.header("Retry-After")).isNotNull();
        assertThat(took)
            .as("bounded by the 2 s driver timeouts (at most two of them)")
            .isLessThan(Duration.ofSeconds(6));
      }
    } finally {
      run(("kill -CONT " + pids).split(" "));
    }
    Instant deadline = Instant.now().plusSeconds(60);
    int status = 0;
    while (Instant.now().isBefore(deadline) && status != 200) {
      status = api.post("/api/v1/auth/login", Api.credentials(name, "Hung-Database-1")).status();
      if (status != 200) {
        Thread.sleep(500);
      }
    }
    assertThat(status).isEqualTo(200);
  }

  private static void startCluster() throws Exception {
    run("pg_ctlcluster", cluster[0], cluster[1], "start");
  }

  private static String run(String... command) throws IOException, InterruptedException {
    var process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    process.waitFor();
    return output;
  }
}
