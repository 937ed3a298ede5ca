package dev.portcullis.it;

import static dev.portcullis.it.Api.bearer;
import static dev.portcullis.it.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A revocation wins every race with the operation it revokes (SECURITY.md, "Authority along every
 * path"): a refresh rotation, an API-key rotation or a session's end that read its row before a
 * revocation committed must not write that row back afterwards.
 *
 * <p>Deterministic on PostgreSQL: a second JDBC connection locks the row ({@code SELECT ... FOR
 * UPDATE}), the request starts and queues behind the lock, the revocation is committed through the
 * locking connection (as another node would commit it), and only then does the request go on. The
 * H2 run skips these tests: H2 is a single node's database, and the PostgreSQL run covers them.
 */
@ExtendWith(SharedServer.class)
class RevocationRaceIT {

  private static final String PASSWORD = "Race-Owner-Pass1";

  /** How long the request may take to reach the locked row. */
  private static final Duration QUEUE_WAIT = Duration.ofSeconds(10);

  @BeforeEach
  void needsPostgres(PortcullisServer server) {
    String url = server.database().url();
    assumeTrue(
        url != null && url.startsWith("jdbc:postgresql:"),
        "needs PostgreSQL (run with -Dit.db.url=jdbc:postgresql:...): a row lock held by a second"
            + " connection is what makes the race deterministic");
  }

  @Test
  void aRefreshThatWaitedDoesNotUndoTheFamilysRevocation(Api api, PortcullisServer server)
      throws Exception {
    String name = unique("race-refresh");
    api.createUser(name, PASSWORD, "user");
    var tokens = api.login(name, PASSWORD);
    String refresh = tokens.getString("refresh_token");
    String family = claim(tokens.getString("access_token"), "sid");

    Api.Reply rotation;
    try (var lock = HeldRowLock.on(server, "refresh_families", "id", family)) {
      var pending = async(() -> api.post("/api/v1/auth/refresh", refreshBody(refresh)));
      report("refresh", lock.awaitWaiter(QUEUE_WAIT));
      lock.commit(
          "UPDATE refresh_families SET revoked_at = now(), revoke_reason = 'RACE_TEST'"
              + " WHERE id = CAST(? AS UUID)",
          family);
      rotation = pending.get(30, TimeUnit.SECONDS);
    }

    assertThat(text(server, "SELECT revoke_reason FROM refresh_families WHERE id = ?", family))
        .as("the family revoked while a refresh waited for it stays revoked")
        .isEqualTo("RACE_TEST");
    assertThat(rotation.status()).as("the refresh that lost: " + rotation.body()).isEqualTo(401);
    assertThat(rotation.code()).isEqualTo("INVALID_TOKEN");
    assertThat(api.post("/api/v1/auth/refresh", refreshBody(refresh)).status())
        .as("the token of a revoked family")
        .isEqualTo(401);
  }

  @Test
  void anApiKeyRotationThatWaitedDoesNotUndoTheKeysRevocation(Api api, PortcullisServer server)
      throws Exception {
    String name = unique("race-key");
    api.createUser(name, PASSWORD, "user");
    String token = api.login(name, PASSWORD).getString("access_token");
    var created =
        api.post(
            "/api/v1/keys",
            "{\"name\":\"race\",\"scopes\":[\"user\"]}",
            "Authorization",
            bearer(token));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().getString("id");
    String key = created.json().getString("key");

    Api.Reply rotation;
    try (var lock = HeldRowLock.on(server, "api_keys", "id", id)) {
      var pending =
          async(
              () ->
                  api.post("/api/v1/keys/" + id + "/rotate", "{}", "Authorization", bearer(token)));
      report("API-key rotation", lock.awaitWaiter(QUEUE_WAIT));
      lock.commit("UPDATE api_keys SET revoked_at = now() WHERE id = ?", id);
      rotation = pending.get(30, TimeUnit.SECONDS);
    }

    assertThat(text(server, "SELECT CAST(revoked_at AS TEXT) FROM api_keys WHERE id = ?", id))
        .as("the key revoked while its rotation waited stays revoked")
        .isNotNull();
    assertThat(rotation.status()).as("the rotation that lost: " + rotation.body()).isEqualTo(409);
    assertThat(rotation.code()).isEqualTo("KEY_INACTIVE");
    assertThat(api.get("/api/v1/me", "X-API-Key", key).status())
        .as("the revoked key")
        .isEqualTo(401);
  }

  @Test
  void endingASessionThatWaitedDoesNotRewriteTheRevocationThatCameFirst(
      Api api, PortcullisServer server) throws Exception {
    String name = unique("race-session");
    api.createUser(name, PASSWORD, "user");
    String cookie = api.formLogin(name, PASSWORD, "/account");
    assertThat(cookie).as("form login").isNotNull();
    String session = api.currentSessionId(cookie);
    String token = api.login(name, PASSWORD).getString("access_token");

    Api.Reply ending;
    try (var lock = HeldRowLock.on(server, "login_sessions", "id", session)) {
      var pending =
          async(
              () ->
                  api.send(
                      HttpRequest.newBuilder(
                              URI.create(api.baseUrl() + "/api/v1/sessions/" + session))
                          .DELETE(),
                      "Authorization",
                      bearer(token)));
      report("session end", lock.awaitWaiter(QUEUE_WAIT));
      lock.commit(
          "UPDATE login_sessions SET revoked_at = now(), revoke_reason = 'RACE_TEST'"
              + " WHERE id = CAST(? AS UUID)",
          session);
      ending = pending.get(30, TimeUnit.SECONDS);
    }

    assertThat(text(server, "SELECT revoke_reason FROM login_sessions WHERE id = ?", session))
        .as("the revocation that committed first is the one on record")
        .isEqualTo("RACE_TEST");
    assertThat(ending.status()).as("ending an ended session: " + ending.body()).isEqualTo(204);
  }

  private static String refreshBody(String refreshToken) {
    return "{\"refresh_token\":\"" + refreshToken + "\"}";
  }

  private static String claim(String jwt, String name) throws java.text.ParseException {
    return SignedJWT.parse(jwt).getJWTClaimsSet().getStringClaim(name);
  }

  private static <T> CompletableFuture<T> async(Supplier<T> request) {
    return CompletableFuture.supplyAsync(request);
  }

  private static void report(String what, boolean waited) {
    System.out.printf(
        "RevocationRaceIT: the %s %s the locked row%n",
        what, waited ? "queued behind" : "never waited for");
  }

  /** The one text value {@code sql} selects with {@code id} compared as text. */
  private static String text(PortcullisServer server, String sql, String id) throws SQLException {
    var database = server.database();
    try (var connection =
            DriverManager.getConnection(database.url(), database.user(), database.password());
        var statement =
            connection.prepareStatement(sql.replace("id = ?", "CAST(id AS TEXT) = ?"))) {
      statement.setString(1, id);
      try (var rows = statement.executeQuery()) {
        assertThat(rows.next()).as("row " + id).isTrue();
        return rows.getString(1);
      }
    }
  }
}
