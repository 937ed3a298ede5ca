package dev.portcullis.it.incontainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.portcullis.caller.AuthMethod;
import dev.portcullis.caller.Caller;
import dev.portcullis.config.InvalidSettingException;
import dev.portcullis.config.Settings;
import dev.portcullis.database.DataSourceConfig;
import dev.portcullis.oauth.client.AccessTokenProfile;
import dev.portcullis.oauth.client.ClientAuthMethod;
import dev.portcullis.oauth.client.ClientRegistry;
import dev.portcullis.oauth.client.ClientService;
import dev.portcullis.oauth.client.ClientsFile;
import dev.portcullis.oauth.client.RegisteredClient;
import dev.portcullis.oauth.consent.ConsentRevoked;
import dev.portcullis.oauth.consent.Consents;
import dev.portcullis.oauth.wire.OAuthError;
import dev.portcullis.problem.ProblemException;
import dev.portcullis.token.RefreshTokens;
import dev.portcullis.user.NewUser;
import dev.portcullis.user.PasswordHashing;
import dev.portcullis.user.User;
import dev.portcullis.user.UserService;
import dev.portcullis.web.ClientInfo;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MultivaluedHashMap;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The user, refresh-token and OAuth client and consent services exercised inside the running
 * server: the real built WAR on Payara Micro, or with {@code -Dit.server=wildfly} on WildFly 39
 * (the installation {@code src/main/wildfly/provision.sh} configures), with its CDI beans, JTA
 * transactions, Hibernate and the Flyway-migrated in-memory H2 database ({@code
 * it-tests/resources/arquillian.xml} configures both servers alike), the test methods executed in
 * the server through Arquillian's servlet protocol.
 *
 * <p>It keeps the in-container path proven: the HTTP-level ITs cannot see what is stored; this
 * class reads the database directly. Arquillian boots a server for every test class (20 to 30
 * seconds), so further in-container checks belong here rather than in new classes.
 */
@ExtendWith(ArquillianExtension.class)
class UserServiceInContainerIT {

  private static final String PASSWORD = "Corr3ct-Horse-Battery";
  private static final ClientInfo CLIENT = new ClientInfo("192.0.2.10", "UserServiceInContainerIT");

  @Inject UserService users;
  @Inject RefreshTokens refreshTokens;
  @Inject PasswordHashing hashing;
  @Inject ClientService clients;
  @Inject ClientRegistry registry;
  @Inject Settings settings;
  @Inject RemovedClients removedClients;
  @Inject Consents consents;
  @Inject ConsentRevocations revocations;

  @Resource ManagedExecutorService executor;

  @Resource(lookup = DataSourceConfig.JNDI_NAME)
  DataSource dataSource;

  /** The built WAR plus this package and AssertJ; Arquillian adds its servlet runner and JUnit. */
  @Deployment(testable = true)
  static WebArchive deployment() throws URISyntaxException {
    var war =
        ShrinkWrap.createFromZipFile(
            WebArchive.class, new File(System.getProperty("it.war", "target/portcullis.war")));
    var assertj =
        new File(
            org.assertj.core.api.Assertions.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
    return war.addPackage(UserServiceInContainerIT.class.getPackage()).addAsLibraries(assertj);
  }

  @Test
  void runsInsideTheServerJvmWithTheTestConfiguration() {
    // Only the server JVM started by Arquillian has this property (arquillian.xml).
    assertThat(System.getProperty("portcullis.db.url")).startsWith("jdbc:h2:mem:");
    assertThat(users).isNotNull();
    assertThat(dataSource).isNotNull();
  }

  @Test
  void findsACreatedUserByAnyCaseOrWidthOfItsUsername() {
    String name = unique("Alice");
    var created = users.create(newUser(name), "test", CLIENT);

    String fullWidthUpper = toFullWidth(name.toUpperCase());
    assertThat(fullWidthUpper).isNotEqualTo(name.toUpperCase());
    var found = users.findByLogin(fullWidthUpper);

    assertThat(found).isPresent();
    assertThat(found.get().id()).isEqualTo(created.id());
    assertThat(found.get().username()).isEqualTo(name);
    assertThat(found.get().roles()).containsExactly("user");
    assertThat(users.findByLogin(name.toLowerCase())).map(User::id).contains(created.id());
    assertThat(users.findByLogin(name + "x")).isEmpty();
  }

  @Test
  void refusesADuplicateUsernameThatDiffersOnlyInCaseOrWidth() throws SQLException {
    String name = unique("Bob");
    users.create(newUser(name), "test", CLIENT);

    for (String duplicate : new String[] {name, name.toUpperCase(), toFullWidth(name)}) {
      var refused =
          catchThrowableOfType(
              ProblemException.class, () -> users.create(newUser(duplicate), "test", CLIENT));
      assertThat(refused).as("creating %s", duplicate).isNotNull();
      assertThat(refused.problem().status()).isEqualTo(409);
      assertThat(refused.problem().code()).isEqualTo("USER_EXISTS");
    }
    assertThat(countUsersWithKey(name.toLowerCase())).isEqualTo(1);
  }

  @Test
  void storesOnlyAnArgon2idHashThatVerifiesThePassword() throws SQLException {
    String name = unique("Carol");
    var created = users.create(newUser(name), "test", CLIENT);

    String stored = passwordHashInDatabase(created.id());
    assertThat(stored).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").doesNotContain(PASSWORD);
    assertThat(hashing.verify(PASSWORD, stored)).isTrue();
    assertThat(hashing.verify(PASSWORD + "!", stored)).isFalse();
    assertThat(hashing.needsRehash(stored)).isFalse();
  }

  @Test
  void reusingASpentRefreshTokenRevokesItsWholeFamily() throws SQLException {
    var user = users.create(newUser(unique("Dave")), "test", CLIENT);
    var first = refreshTokens.startFamily(user.id(), CLIENT, "password");
    var second = refreshTokens.rotate(first.value(), CLIENT);
    assertThat(second.familyId()).isEqualTo(first.familyId());
    assertThat(second.value()).isNotEqualTo(first.value());
    assertThat(revokeReasonInDatabase(first.familyId())).isNull();

    var reuse =
        catchThrowableOfType(
            ProblemException.class, () -> refreshTokens.rotate(first.value(), CLIENT));

    assertThat(reuse).isNotNull();
    assertThat(reuse.problem().status()).isEqualTo(401);
    assertThat(reuse.problem().code()).isEqualTo("REFRESH_TOKEN_REUSED");
    // rotate() commits the revocation although it throws (dontRollbackOn).
    assertThat(revokeReasonInDatabase(first.familyId())).isEqualTo("REUSE");
    var afterRevocation =
        catchThrowableOfType(
            ProblemException.class, () -> refreshTokens.rotate(second.value(), CLIENT));
    assertThat(afterRevocation).isNotNull();
    assertThat(afterRevocation.problem().code()).isEqualTo("INVALID_TOKEN");
  }

  @Test
  void aRotatedClientSecretStopsWorkingAtOnceAndADeletedClientEverywhere() {
    var admin =
        new Caller(UUID.randomUUID(), "admin", Set.of("admin", "user"), AuthMethod.JWT, null, "t");
    String id = unique("svc");
    var registration =
        new RegisteredClient(
            id,
            "Service",
            List.of(),
            List.of(),
            Set.of(RegisteredClient.CLIENT_CREDENTIALS),
            ClientAuthMethod.CLIENT_SECRET_BASIC,
            Set.of(),
            true,
            false,
            AccessTokenProfile.RFC9068,
            Set.of("user"),
            Optional.empty(),
            Optional.empty(),
            false);
    String first = clients.create(registration, admin, CLIENT).secret();
    assertThat(registry.authenticate(basic(id, first), new MultivaluedHashMap<>(), CLIENT))
        .isEqualTo(registration);

    String second = clients.rotateSecret(id, admin, CLIENT).secret();

    assertThat(invalidClient(basic(id, first))).as("the old secret, at once").isTrue();
    assertThat(registry.authenticate(basic(id, second), new MultivaluedHashMap<>(), CLIENT))
        .isEqualTo(registration);

    clients.delete(id, admin, CLIENT);

    assertThat(removedClients.ids()).contains(id);
    assertThat(registry.find(id)).isEmpty();
    assertThat(invalidClient(basic(id, second))).isTrue();
  }

  @Test
  void theClientsFileIsAppliedIdempotentlyAndNeverOverAnApiClient() {
    var admin =
        new Caller(UUID.randomUUID(), "admin", Set.of("admin", "user"), AuthMethod.JWT, null, "t");
    String kept = unique("kept");
    String dropped = unique("dropped");
    String secret = "file-secret-0123456789-0123456789-abcdef";
    Map<String, String> env = Map.of("FILE_SECRET", secret);
    clients.applyFile(
        ClientsFile.parse(
            "["
                + fileEntry(kept, "Kept", ",\"client_secret_env\":\"FILE_SECRET\"")
                + ","
                + fileEntry(dropped, "Dropped", ",\"token_endpoint_auth_method\":\"none\"")
                + "]",
            settings,
            env::get));
    assertThat(registry.find(kept)).map(RegisteredClient::fromFile).contains(true);
    assertThat(registry.find(dropped)).isPresent();
    assertThat(registry.authenticate(basic(kept, secret), new MultivaluedHashMap<>(), CLIENT))
        .isNotNull();
    var createdAt = clients.get(kept).updatedAt();

    // the same file again: nothing changes
    clients.applyFile(
        ClientsFile.parse(
            "["
                + fileEntry(kept, "Kept", ",\"client_secret_env\":\"FILE_SECRET\"")
                + ","
                + fileEntry(dropped, "Dropped", ",\"token_endpoint_auth_method\":\"none\"")
                + "]",
            settings,
            env::get));
    assertThat(clients.get(kept).updatedAt()).isEqualTo(createdAt);

    // one changed, one gone
    clients.applyFile(
        ClientsFile.parse(
            "[" + fileEntry(kept, "Renamed", ",\"client_secret_env\":\"FILE_SECRET\"") + "]",
            settings,
            env::get));
    assertThat(registry.find(kept)).map(RegisteredClient::name).contains("Renamed");
    assertThat(registry.find(dropped)).isEmpty();
    assertThat(removedClients.ids()).contains(dropped).doesNotContain(kept);

    // an API client's id in the file stops the start, and nothing is changed
    String api = unique("api");
    clients.create(
        new RegisteredClient(
            api,
            "API",
            List.of("https://app.example/cb"),
            List.of(),
            Set.of(RegisteredClient.AUTHORIZATION_CODE),
            ClientAuthMethod.NONE,
            Set.of("openid"),
            true,
            false,
            AccessTokenProfile.RFC9068,
            Set.of(),
            Optional.empty(),
            Optional.empty(),
            false),
        admin,
        CLIENT);
    var refused =
        catchThrowableOfType(
            InvalidSettingException.class,
            () ->
                clients.applyFile(
                    ClientsFile.parse(
                        "["
                            + fileEntry(api, "API", ",\"token_endpoint_auth_method\":\"none\"")
                            + "]",
                        settings,
                        env::get)));
    assertThat(refused).isNotNull();
    assertThat(refused.getMessage())
        .contains("names client \"" + api + "\", which is registered through the admin API");
    assertThat(registry.find(kept)).as("rolled back").isPresent();
    assertThat(clients.get(api).fromFile()).isFalse();
  }

  private boolean invalidClient(String authorization) {
    var error =
        catchThrowableOfType(
            OAuthError.class,
            () -> registry.authenticate(authorization, new MultivaluedHashMap<>(), CLIENT));
    return error != null && error.error().equals("invalid_client") && error.status() == 401;
  }

  private static String basic(String id, String secret) {
    return "Basic "
        + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
  }

  private static String fileEntry(String id, String name, String more) {
    return "{\"client_id\":\""
        + id
        + "\",\"name\":\""
        + name
        + "\",\"redirect_uris\":[\"https://app.example/cb\"],"
        + "\"grant_types\":[\"authorization_code\"]"
        + more
        + "}";
  }

  @Test
  void aConsentGrowsWithEachGrantAndCoversOnlyWhatWasApproved() throws SQLException {
    var user = users.create(newUser(unique("Erin")), "test", CLIENT);
    assertThat(consents.covers(user.id(), "legacy-app", Set.of())).isFalse();
    assertThat(consents.of(user.id())).isEmpty();

    consents.grant(user.id(), "legacy-app", Set.of("openid", "email"), CLIENT);
    consents.grant(user.id(), "legacy-app", Set.of("profile", "email"), CLIENT);
    consents.grant(user.id(), "other-app", Set.of(), CLIENT);

    assertThat(consents.covers(user.id(), "legacy-app", Set.of("openid", "profile", "email")))
        .isTrue();
    assertThat(consents.covers(user.id(), "legacy-app", Set.of())).isTrue();
    assertThat(consents.covers(user.id(), "legacy-app", Set.of("openid", "groups"))).isFalse();
    assertThat(consents.covers(user.id(), "other-app", Set.of())).isTrue();
    assertThat(consents.covers(user.id(), "other-app", Set.of("openid"))).isFalse();
    assertThat(consents.covers(UUID.randomUUID(), "legacy-app", Set.of())).isFalse();
    var listed = consents.of(user.id());
    assertThat(listed).extracting(c -> c.clientId()).containsExactly("legacy-app", "other-app");
    assertThat(listed.get(0).scopes()).containsExactly("email", "openid", "profile");
    assertThat(listed.get(0).grantedAt()).isNotNull();
    assertThat(scopesInDatabase(user.id(), "legacy-app")).isEqualTo("email openid profile");
    assertThat(countAudit("CONSENT_GRANTED", user.id())).isEqualTo(3);
  }

  @Test
  void grantsAtTheSameTimeLoseNoScope() throws Exception {
    var user = users.create(newUser(unique("Frank")), "test", CLIENT);
    int grants = 8;
    var start = new CountDownLatch(1);
    var results = new ArrayList<Future<?>>();
    for (int i = 0; i < grants; i++) {
      String scope = "scope" + i;
      results.add(
          executor.submit(
              () -> {
                start.await(10, TimeUnit.SECONDS);
                consents.grant(user.id(), "racy-app", Set.of(scope, "openid"), CLIENT);
                return null;
              }));
    }
    start.countDown();
    for (var result : results) {
      result.get(60, TimeUnit.SECONDS);
    }
    var consent = consents.of(user.id()).get(0);
    assertThat(consent.scopes()).hasSize(grants + 1).contains("openid", "scope0", "scope7");
    assertThat(countAudit("CONSENT_GRANTED", user.id())).isEqualTo(grants);
  }

  @Test
  void revokingDeletesTheConsentAndFiresTheEventInsideItsTransaction() throws SQLException {
    var user = users.create(newUser(unique("Grace")), "test", CLIENT);
    consents.grant(user.id(), "legacy-app", Set.of("openid"), CLIENT);
    consents.grant(user.id(), "kept-app", Set.of("openid"), CLIENT);
    int before = revocations.seen().size();

    assertThat(consents.revoke(user.id(), "legacy-app", CLIENT)).isTrue();

    assertThat(consents.covers(user.id(), "legacy-app", Set.of())).isFalse();
    assertThat(consents.of(user.id())).extracting(c -> c.clientId()).containsExactly("kept-app");
    var seen = revocations.seen().subList(before, revocations.seen().size());
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).event()).isEqualTo(new ConsentRevoked(user.id(), "legacy-app"));
    assertThat(seen.get(0).inTransaction()).isTrue();
    assertThat(countAudit("CONSENT_REVOKED", user.id())).isEqualTo(1);

    assertThat(consents.revoke(user.id(), "legacy-app", CLIENT))
        .as("nothing left to revoke: no event, no audit")
        .isFalse();
    assertThat(revocations.seen()).hasSize(before + 1);
    assertThat(countAudit("CONSENT_REVOKED", user.id())).isEqualTo(1);
  }

  @Test
  void aRemovedClientsConsentsAreForgottenForEveryUser() {
    var first = users.create(newUser(unique("Heidi")), "test", CLIENT);
    var second = users.create(newUser(unique("Ivan")), "test", CLIENT);
    String client = unique("gone-app");
    consents.grant(first.id(), client, Set.of("openid"), CLIENT);
    consents.grant(second.id(), client, Set.of("email"), CLIENT);
    consents.grant(second.id(), "kept-app", Set.of("email"), CLIENT);

    assertThat(consents.forgetClient(client)).isEqualTo(2);

    assertThat(consents.of(first.id())).isEmpty();
    assertThat(consents.of(second.id())).extracting(c -> c.clientId()).containsExactly("kept-app");
  }

  @Test
  void aMalformedScopeIsRefusedAndNothingStored() {
    var user = users.create(newUser(unique("Judy")), "test", CLIENT);
    var refused =
        catchThrowableOfType(
            ProblemException.class,
            () -> consents.grant(user.id(), "legacy-app", Set.of("openid", "a b"), CLIENT));
    assertThat(refused).isNotNull();
    assertThat(refused.problem().status()).isEqualTo(400);
    assertThat(consents.of(user.id())).isEmpty();
  }

  private String scopesInDatabase(UUID userId, String clientId) throws SQLException {
    try (var connection = dataSource.getConnection();
        var query =
            connection.prepareStatement(
                "SELECT scopes FROM oauth_consents WHERE user_id = ? AND client_id = ?")) {
      query.setObject(1, userId);
      query.setString(2, clientId);
      try (var rows = query.executeQuery()) {
        assertThat(rows.next()).isTrue();
        return rows.getString(1);
      }
    }
  }

  private long countAudit(String type, UUID subject) throws SQLException {
    try (var connection = dataSource.getConnection();
        var query =
            connection.prepareStatement(
                "SELECT COUNT(*) FROM audit_events WHERE event_type = ? AND subject = ?")) {
      query.setString(1, type);
      query.setString(2, subject.toString());
      try (var rows = query.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  private static NewUser newUser(String username) {
    return new NewUser(username, null, PASSWORD, Set.of(), false);
  }

  private static String unique(String prefix) {
    return prefix + "." + UUID.randomUUID().toString().substring(0, 8);
  }

  /** The full-width form (U+FF01..U+FF5E) of printable ASCII; NFKC maps it back. */
  private static String toFullWidth(String ascii) {
    var out = new StringBuilder();
    ascii.chars().forEach(c -> out.append(c > 0x20 && c < 0x7F ? (char) (c + 0xFEE0) : (char) c));
    return out.toString();
  }

  private String passwordHashInDatabase(UUID userId) throws SQLException {
    try (var connection = dataSource.getConnection();
        var query = connection.prepareStatement("SELECT password_hash FROM users WHERE id = ?")) {
      query.setObject(1, userId);
      try (var rows = query.executeQuery()) {
        assertThat(rows.next()).as("user row %s", userId).isTrue();
        return rows.getString(1);
      }
    }
  }

  private String revokeReasonInDatabase(String familyId) throws SQLException {
    try (var connection = dataSource.getConnection();
        var query =
            connection.prepareStatement(
                "SELECT revoked_at, revoke_reason FROM refresh_families WHERE id = ?")) {
      query.setObject(1, UUID.fromString(familyId));
      try (var rows = query.executeQuery()) {
        assertThat(rows.next()).as("family row %s", familyId).isTrue();
        String reason = rows.getString("revoke_reason");
        assertThat(rows.getTimestamp("revoked_at") == null).isEqualTo(reason == null);
        return reason;
      }
    }
  }

  private long countUsersWithKey(String key) throws SQLException {
    try (var connection = dataSource.getConnection();
        var query =
            connection.prepareStatement("SELECT COUNT(*) FROM users WHERE username_key = ?")) {
      query.setString(1, key);
      try (var rows = query.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }
}
