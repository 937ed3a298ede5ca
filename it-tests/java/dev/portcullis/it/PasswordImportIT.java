package dev.portcullis.it;

import static dev.portcullis.it.Api.bearer;
import static dev.portcullis.it.Api.credentials;
import static dev.portcullis.it.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Legacy hash import and the password policy on the real WAR (issue 5 items 3 and 4): imported
 * PBKDF2 and bcrypt users log in and are upgraded to Argon2id, bad rows are reported and nothing is
 * written, 10,000 users import without any hashing, and common passwords are refused. Issue 13 item
 * 15: hashes above the cost caps are refused at import and never computed at login, and a locked
 * account's login never computes its stored hash.
 */
@ExtendWith(SharedServer.class)
class PasswordImportIT {

  private static final String IMPORT = "/api/v1/admin/users/import";

  /** The shared server's lock-out threshold (the default). */
  private static final int LOCK_THRESHOLD = 5;

  /** bcrypt hashes made with glibc/libxcrypt crypt(3), an implementation independent of ours. */
  private static final String BCRYPT_2Y_PASSWORD = "Legacy-Bcrypt-2y";

  private static final String BCRYPT_2Y =
      "$2y$05$abcdefghijklmnopqrstuuzIt3TI/RLZqqX5SeQ/sieqZ/oic.MPC";
  private static final String BCRYPT_2B_PASSWORD = "Ünïcödé-Pässwörd";
  private static final String BCRYPT_2B =
      "$2b$05$abcdefghijklmnopqrstuuZY78EMiWsCCLKaPo3jTiFRh.RHZOyoy";
  private static final String BCRYPT_2A_PASSWORD = "abc";
  private static final String BCRYPT_2A = // jBCrypt's published vector
      "$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i";

  private static final SecureRandom RANDOM = new SecureRandom();

  /** A hash in the format Soteria's Pbkdf2PasswordHashImpl writes, made with the JDK's PBKDF2. */
  static String soteriaPbkdf2(String algorithm, String password) throws Exception {
    return soteriaPbkdf2(algorithm, password, 2048, 32);
  }

  /** The same with {@code iterations} and a key of {@code keyBytes}. */
  static String soteriaPbkdf2(String algorithm, String password, int iterations, int keyBytes)
      throws Exception {
    var salt = new byte[32];
    RANDOM.nextBytes(salt);
    byte[] hash =
        SecretKeyFactory.getInstance(algorithm)
            .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, keyBytes * 8))
            .getEncoded();
    var b64 = Base64.getEncoder();
    return algorithm
        + ":"
        + iterations
        + ":"
        + b64.encodeToString(salt)
        + ":"
        + b64.encodeToString(hash);
  }

  private static JsonObject row(String username, String hash) {
    return Json.createObjectBuilder().add("username", username).add("password_hash", hash).build();
  }

  private static String body(JsonArrayBuilder users) {
    return Json.createObjectBuilder().add("users", users).build().toString();
  }

  @Test
  void importedUsersLogInAndAreUpgradedToArgon2id(Api api) throws Exception {
    String admin = bearer(api.adminToken());
    String pbkdf2User = unique("pbkdf2");
    String pbkdf2Sha512User = unique("pbkdf2x");
    String bcryptA = unique("bcrypt-a");
    String bcryptB = unique("bcrypt-b");
    String bcryptY = unique("bcrypt-y");
    String pbkdf2Password = "Legacy-Pbkdf2-Pass";
    var users =
        Json.createArrayBuilder()
            .add(
                Json.createObjectBuilder(
                        row(pbkdf2User, soteriaPbkdf2("PBKDF2WithHmacSHA256", pbkdf2Password)))
                    .add("email", pbkdf2User + "@example.com")
                    .add("roles", Json.createArrayBuilder().add("user")))
            .add(row(pbkdf2Sha512User, soteriaPbkdf2("PBKDF2WithHmacSHA512", pbkdf2Password)))
            .add(row(bcryptA, BCRYPT_2A))
            .add(row(bcryptB, BCRYPT_2B))
            .add(row(bcryptY, BCRYPT_2Y));

    var imported = api.post(IMPORT, body(users), "Authorization", admin);
    assertThat(imported.status()).as(api.lastExchange()).isEqualTo(200);
    assertThat(imported.json().getInt("imported")).isEqualTo(5);
    assertThat(imported.json().getJsonObject("schemes").getInt("pbkdf2")).isEqualTo(2);
    assertThat(imported.json().getJsonObject("schemes").getInt("bcrypt")).isEqualTo(3);
    assertThat(imported.body()).doesNotContain("$2y$").doesNotContain("PBKDF2WithHmac");

    var ids = imported.json();
    assertThat(scheme(api, admin, id(ids, pbkdf2User))).isEqualTo("pbkdf2");
    assertThat(scheme(api, admin, id(ids, bcryptY))).isEqualTo("bcrypt");
    var view = user(api, admin, id(ids, pbkdf2User));
    assertThat(view.getString("status")).isEqualTo("active");
    assertThat(view.getJsonArray("roles").getString(0)).isEqualTo("user");
    assertThat(view.getString("email")).isEqualTo(pbkdf2User + "@example.com");
    assertThat(view.toString()).doesNotContain("password_hash\"");

    // a wrong password is refused like any other and upgrades nothing
    var wrong = api.post("/api/v1/auth/login", credentials(bcryptY, BCRYPT_2Y_PASSWORD + "x"));
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.code()).isEqualTo("INVALID_CREDENTIALS");
    assertThat(
            api.post("/api/v1/auth/login", credentials(pbkdf2User, "Legacy-Pbkdf2-Pasz")).status())
        .isEqualTo(401);
    assertThat(scheme(api, admin, id(ids, bcryptY))).isEqualTo("bcrypt");

    String[][] logins = {
      {pbkdf2User, pbkdf2Password},
      {pbkdf2Sha512User, pbkdf2Password},
      {bcryptA, BCRYPT_2A_PASSWORD},
      {bcryptB, BCRYPT_2B_PASSWORD},
      {bcryptY, BCRYPT_2Y_PASSWORD},
    };
    for (String[] login : logins) {
      var first = api.post("/api/v1/auth/login", credentials(login[0], login[1]));
      assertThat(first.status()).as(api.lastExchange()).isEqualTo(200);
      assertThat(first.json().getString("access_token")).isNotBlank();
      assertThat(scheme(api, admin, id(ids, login[0]))).as(login[0]).isEqualTo("argon2id");
      // the Argon2id hash written at the first login verifies the same password
      assertThat(api.post("/api/v1/auth/login", credentials(login[0], login[1])).status())
          .as(login[0] + " second login")
          .isEqualTo(200);
      assertThat(api.post("/api/v1/auth/login", credentials(login[0], login[1] + "!")).status())
          .isEqualTo(401);
    }
  }

  @Test
  void badRowsAreReportedAndNothingIsWritten(Api api) throws Exception {
    String admin = bearer(api.adminToken());
    String existing = unique("exists");
    api.createUser(existing, "Existing-User-Pass1", "user");
    String good = unique("good");
    String dup = unique("dup");
    var users =
        Json.createArrayBuilder()
            .add(row(good, BCRYPT_2Y))
            .add(row(unique("plain"), "not-a-hash"))
            .add(
                row(unique("cost"), "$2b$31$abcdefghijklmnopqrstuuZY78EMiWsCCLKaPo3jTiFRh.RHZOyoy"))
            .add(row(existing, BCRYPT_2Y))
            .add(row(dup, BCRYPT_2Y))
            .add(row(dup.toUpperCase(), BCRYPT_2Y))
            .add(row("bad name!", BCRYPT_2Y))
            .add(
                Json.createObjectBuilder(row(unique("role"), BCRYPT_2Y))
                    .add("roles", Json.createArrayBuilder().add("superuser")))
            .add(Json.createObjectBuilder().add("username", unique("nohash")))
            .add("not an object");

    var reply = api.post(IMPORT, body(users), "Authorization", admin);
    assertThat(reply.status()).as(api.lastExchange()).isEqualTo(400);
    assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
    assertThat(reply.code()).isEqualTo("VALIDATION_FAILED");
    var errors = reply.json().getJsonArray("errors");
    assertThat(errors.stream().map(e -> e.asJsonObject().getInt("index")))
        .containsExactly(1, 2, 3, 5, 6, 7, 8, 9);
    assertThat(errors.getJsonObject(0).getString("code")).isEqualTo("INVALID_PASSWORD_HASH");
    assertThat(errors.getJsonObject(1).getString("detail")).contains("cost");
    assertThat(errors.getJsonObject(2).getString("code")).isEqualTo("DUPLICATE");
    assertThat(errors.getJsonObject(3).getString("code")).isEqualTo("DUPLICATE");
    assertThat(reply.body()).doesNotContain("abcdefghijklmnopqrstuu");

    // atomic: the good row was not written either
    assertThat(api.post("/api/v1/auth/login", credentials(good, BCRYPT_2Y_PASSWORD)).status())
        .isEqualTo(401);
    var again =
        api.post(
            IMPORT,
            body(Json.createArrayBuilder().add(row(good, BCRYPT_2Y))),
            "Authorization",
            admin);
    assertThat(again.status()).as(api.lastExchange()).isEqualTo(200);

    // only administrators may import
    String user = unique("plainuser");
    api.createUser(user, "Plain-User-Pass1", "user");
    String userToken = bearer(api.login(user, "Plain-User-Pass1").getString("access_token"));
    var forbidden =
        api.post(
            IMPORT,
            body(Json.createArrayBuilder().add(row(unique("x"), BCRYPT_2Y))),
            "Authorization",
            userToken);
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(
            api.post(IMPORT, body(Json.createArrayBuilder().add(row(unique("y"), BCRYPT_2Y))))
                .status())
        .isEqualTo(401);
  }

  @Test
  void hashesAboveTheCostCapsAreRefusedAtImport(Api api) throws Exception {
    String admin = bearer(api.adminToken());
    String atCap = unique("atcap");
    String atCapHash = soteriaPbkdf2("PBKDF2WithHmacSHA256", "At-The-Cap-Pass", 100_000, 32);
    String overIterations = unique("overit");
    String overBlocks = unique("overblk");
    String overCost = unique("overcost");
    var users =
        Json.createArrayBuilder()
            .add(row(atCap, atCapHash))
            .add(
                row(
                    overIterations,
                    soteriaPbkdf2("PBKDF2WithHmacSHA256", "Over-The-Cap", 100_001, 32)))
            // Soteria's default 32-byte key is two SHA-224 blocks: 50,001 iterations cost 100,002
            .add(row(overBlocks, soteriaPbkdf2("PBKDF2WithHmacSHA224", "Over-The-Cap", 50_001, 32)))
            .add(row(overCost, "$2b$11$" + BCRYPT_2B.substring(7)));

    var reply = api.post(IMPORT, body(users), "Authorization", admin);
    assertThat(reply.status()).as(api.lastExchange()).isEqualTo(400);
    assertThat(reply.code()).isEqualTo("VALIDATION_FAILED");
    var errors = reply.json().getJsonArray("errors").getValuesAs(JsonObject.class);
    assertThat(errors.stream().map(e -> e.getInt("index"))).containsExactly(1, 2, 3);
    assertThat(errors.stream().map(e -> e.getString("username")))
        .containsExactly(overIterations, overBlocks, overCost);
    for (var error : errors) {
      assertThat(error.getString("code")).isEqualTo("INVALID_PASSWORD_HASH");
      assertThat(error.getString("detail")).contains("cost too high");
    }
    assertThat(errors.get(0).getString("detail")).contains("100000").contains("100001");
    assertThat(errors.get(1).getString("detail")).contains("100002");
    assertThat(errors.get(2).getString("detail")).contains("at most 10").contains("11");

    var capped =
        Json.createArrayBuilder()
            .add(row(atCap, atCapHash))
            .add(row(unique("bcrypt10"), "$2b$10$" + BCRYPT_2B.substring(7)));
    var accepted = api.post(IMPORT, body(capped), "Authorization", admin);
    assertThat(accepted.status()).as(api.lastExchange()).isEqualTo(200);
    assertThat(api.login(atCap, "At-The-Cap-Pass").getString("access_token")).isNotBlank();
  }

  /**
   * A locked account's login spends one dummy Argon2id verification and never computes its stored
   * hash: for an imported PBKDF2 hash at the cap (SHA-512, 100,000 iterations), a wrong password
   * costs the legacy hash plus a dummy verification while the account is open, and no more than an
   * unknown user once it is locked. Medians of interleaved samples, so a slower moment of a busy
   * machine weighs on every kind alike.
   */
  @Test
  void aLockedLegacyAccountIsNeverHashed(Api api) throws Exception {
    String admin = bearer(api.adminToken());
    String hash = soteriaPbkdf2("PBKDF2WithHmacSHA512", "Locked-Legacy-Pass", 100_000, 64);
    var names =
        new String[] {unique("lockedlegacy"), unique("lockedlegacy"), unique("lockedlegacy")};
    String warmUp = unique("warmlegacy");
    var users = Json.createArrayBuilder().add(row(warmUp, hash));
    for (String name : names) {
      users.add(row(name, hash));
    }
    assertThat(api.post(IMPORT, body(users), "Authorization", admin).status())
        .as(api.lastExchange())
        .isEqualTo(200);

    for (int i = 0; i < 3; i++) {
      timedRefusal(api, warmUp, "warm-up-" + i);
      timedRefusal(api, unique("nobody"), "warm-up-" + i);
    }
    var open = new ArrayList<Long>();
    var unknownWhileOpen = new ArrayList<Long>();
    for (int failure = 0; failure < LOCK_THRESHOLD; failure++) {
      for (String name : names) {
        open.add(timedRefusal(api, name, "wrong-" + failure));
        unknownWhileOpen.add(timedRefusal(api, unique("nobody"), "wrong-" + failure));
      }
    }
    var locked = new ArrayList<Long>();
    var unknownWhileLocked = new ArrayList<Long>();
    for (int attempt = 0; attempt < 4; attempt++) {
      for (String name : names) {
        locked.add(timedRefusal(api, name, "wrong-again-" + attempt));
        unknownWhileLocked.add(timedRefusal(api, unique("nobody"), "wrong-again-" + attempt));
      }
    }
    long legacyCost = median(open) - median(unknownWhileOpen);
    long lockedExcess = median(locked) - median(unknownWhileLocked);
    String figures =
        String.format(
            "medians in ms: open legacy %d, unknown %d; locked legacy %d, unknown %d",
            median(open) / 1_000_000,
            median(unknownWhileOpen) / 1_000_000,
            median(locked) / 1_000_000,
            median(unknownWhileLocked) / 1_000_000);
    System.out.println("aLockedLegacyAccountIsNeverHashed: " + figures);
    assertThat(legacyCost)
        .as("the legacy hash at the cap costs visibly more than a dummy verification; " + figures)
        .isGreaterThan(30_000_000L);
    assertThat(lockedExcess)
        .as("a locked legacy account costs no more than an unknown user; " + figures)
        .isLessThan(legacyCost / 2);
  }

  /**
   * A hash above the caps that an older version imported (1,000,000 PBKDF2 iterations, then
   * accepted) is never computed: even the right password fails, with its own audit reason, until an
   * administrator resets it. Plants the hash with JDBC, so PostgreSQL only (the H2 run skips it).
   */
  @Test
  void aStoredHashAboveTheCapIsNeverComputed(Api api, PortcullisServer server) throws Exception {
    var db = server.database();
    assumeTrue(
        db.url() != null && db.url().startsWith("jdbc:postgresql:"),
        "needs PostgreSQL (-Dit.db.url=jdbc:postgresql://...) to plant a hash with JDBC");
    String name = unique("oldimport");
    String id = api.createUser(name, "Initial-Pass-Over", "user").getString("id");
    String expensive = soteriaPbkdf2("PBKDF2WithHmacSHA256", "Over-Cap-Stored", 1_000_000, 32);
    try (var connection = DriverManager.getConnection(db.url(), db.user(), db.password());
        var update =
            connection.prepareStatement("UPDATE users SET password_hash = ? WHERE id = ?")) {
      update.setString(1, expensive);
      update.setObject(2, UUID.fromString(id));
      assertThat(update.executeUpdate()).isEqualTo(1);
    }
    var reply = api.post("/api/v1/auth/login", credentials(name, "Over-Cap-Stored"));
    assertThat(reply.status()).as(api.lastExchange()).isEqualTo(401);
    assertThat(reply.code()).isEqualTo("INVALID_CREDENTIALS");
    assertThat(Files.readString(server.logFile()))
        .contains(
            "audit type=LOGIN outcome=FAILURE reason=\"LEGACY_HASH_OVER_COST_CAP\" subject=\""
                + id);
    String admin = bearer(api.adminToken());
    assertThat(scheme(api, admin, id)).isEqualTo("pbkdf2");
    var reset =
        api.post(
            "/api/v1/admin/users/" + id + "/password",
            "{\"password\":\"Reset-After-Cap-1\"}",
            "Authorization",
            admin);
    assertThat(reset.status()).isEqualTo(204);
    assertThat(api.login(name, "Reset-After-Cap-1").getString("access_token")).isNotBlank();
  }

  private static long timedRefusal(Api api, String username, String password) {
    long start = System.nanoTime();
    var reply = api.post("/api/v1/auth/login", credentials(username, password));
    long took = System.nanoTime() - start;
    assertThat(reply.status()).as(api.lastExchange()).isEqualTo(401);
    assertThat(reply.code()).isEqualTo("INVALID_CREDENTIALS");
    return took;
  }

  private static long median(List<Long> values) {
    var sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  @Test
  void tenThousandUsersImportWithoutHashing(Api api) throws Exception {
    String admin = bearer(api.adminToken());
    String prefix = unique("bulk");
    var users = Json.createArrayBuilder();
    String pbkdf2 = soteriaPbkdf2("PBKDF2WithHmacSHA256", "Bulk-Import-Pass1");
    for (int i = 0; i < 10_000; i++) {
      String name = prefix + "-" + i;
      users.add(
          Json.createObjectBuilder(row(name, i % 2 == 0 ? pbkdf2 : BCRYPT_2Y))
              .add("email", name + "@bulk.example.com"));
    }
    String body = body(users);
    assertThat(body.length()).isGreaterThan(65_536); // above the ordinary request limit

    long start = System.nanoTime();
    var reply = api.post(IMPORT, body, "Authorization", admin);
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.printf("Imported 10,000 users (%d bytes) in %d ms%n", body.length(), millis);
    assertThat(reply.status()).as(api.lastExchange()).isEqualTo(200);
    assertThat(reply.json().getInt("imported")).isEqualTo(10_000);
    // Hashing 10,000 passwords with Argon2id (or even bcrypt cost 5) would take far longer.
    assertThat(millis).isLessThan(30_000);

    assertThat(api.login(prefix + "-9999", BCRYPT_2Y_PASSWORD).getString("access_token"))
        .isNotBlank();
    assertThat(api.login(prefix + "-42", "Bulk-Import-Pass1").getString("access_token"))
        .isNotBlank();

    var tooMany = Json.createArrayBuilder();
    for (int i = 0; i <= 10_000; i++) {
      tooMany.add(row("m" + i, BCRYPT_2Y));
    }
    var refused = api.post(IMPORT, body(tooMany), "Authorization", admin);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().getString("detail")).contains("10000");
    // every other endpoint keeps the small limit
    var big = "{\"username\":\"" + "x".repeat(70_000) + "\",\"password\":\"p\"}";
    assertThat(api.post("/api/v1/admin/users", big, "Authorization", admin).status())
        .isEqualTo(413);
  }

  @Test
  void commonPasswordsAreRefusedOnCreationAndChange(Api api) {
    String admin = bearer(api.adminToken());
    String name = unique("common");
    var created =
        api.post(
            "/api/v1/admin/users",
            Json.createObjectBuilder()
                .add("username", name)
                .add("password", "Password123")
                .build()
                .toString(),
            "Authorization",
            admin);
    assertThat(created.status()).as(api.lastExchange()).isEqualTo(400);
    assertThat(created.code()).isEqualTo("VALIDATION_FAILED");
    assertThat(created.json().getString("detail")).contains("most common passwords");

    String id = api.createUser(name, "Uncommon-Pass-77", "user").getString("id");
    var changed =
        api.post(
            "/api/v1/auth/password",
            Json.createObjectBuilder()
                .add("username", name)
                .add("password", "Uncommon-Pass-77")
                .add("new_password", "iloveyou1")
                .build()
                .toString());
    assertThat(changed.status()).as(api.lastExchange()).isEqualTo(400);
    assertThat(changed.json().getString("detail")).contains("most common passwords");
    var reset =
        api.post(
            "/api/v1/admin/users/" + id + "/password",
            "{\"password\":\"qwerty123456\"}",
            "Authorization",
            admin);
    assertThat(reset.status()).as(api.lastExchange()).isEqualTo(400);
    assertThat(reset.json().getString("detail")).contains("most common passwords");
    assertThat(api.login(name, "Uncommon-Pass-77").getString("access_token")).isNotBlank();
  }

  private static JsonObject user(Api api, String admin, String id) {
    var reply = api.get("/api/v1/admin/users/" + id, "Authorization", admin);
    assertThat(reply.status()).as(api.lastExchange()).isEqualTo(200);
    return reply.json();
  }

  private static String scheme(Api api, String admin, String id) {
    return user(api, admin, id).getString("password_hash_scheme");
  }

  /** The id the import gave {@code username}. */
  private static String id(JsonObject imported, String username) {
    return imported.getJsonArray("users").stream()
        .map(JsonValue::asJsonObject)
        .filter(u -> u.getString("username").equals(username))
        .findFirst()
        .orElseThrow()
        .getString("id");
  }
}
