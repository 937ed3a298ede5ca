package dev.portcullis.it;

import static dev.portcullis.it.Api.bearer;
import static dev.portcullis.it.Api.credentials;
import static dev.portcullis.it.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Legacy hash import and the password policy on the real WAR (issue 5 items 3 and 4): imported
 * PBKDF2 and bcrypt users log in and are upgraded to Argon2id, bad rows are reported and nothing is
 * written, 10,000 users import without any hashing, and common passwords are refused.
 */
@ExtendWith(SharedServer.class)
class PasswordImportIT {

  private static final String IMPORT = "/api/v1/admin/users/import";

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
    var salt = new byte[32];
    RANDOM.nextBytes(salt);
    byte[] hash =
        SecretKeyFactory.getInstance(algorithm)
            .generateSecret(new PBEKeySpec(password.toCharArray(), salt, 2048, 256))
            .getEncoded();
    var b64 = Base64.getEncoder();
    return algorithm + ":2048:" + b64.encodeToString(salt) + ":" + b64.encodeToString(hash);
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
