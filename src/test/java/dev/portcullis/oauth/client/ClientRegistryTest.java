package dev.portcullis.oauth.client;

import static dev.portcullis.oauth.client.ClientCredentialsTest.basic;
import static dev.portcullis.oauth.client.ClientCredentialsTest.form;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.portcullis.audit.AuditEventType;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.audit.Refusals;
import dev.portcullis.cluster.Change;
import dev.portcullis.cluster.ChangeKind;
import dev.portcullis.cluster.StaleEntries;
import dev.portcullis.config.MapConfig;
import dev.portcullis.oauth.wire.OAuthError;
import dev.portcullis.problem.ProblemException;
import dev.portcullis.ratelimit.LocalRateLimitBuckets;
import dev.portcullis.ratelimit.RateLimitSettings;
import dev.portcullis.ratelimit.RateLimits;
import dev.portcullis.web.ClientInfo;
import io.github.bucket4j.TimeMeter;
import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.core.MultivaluedMap;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link ClientRegistry#authenticate}, one test per row of its decision table — each method
 * registered and presented, mixed methods, the wrong method, an unknown client, a wrong secret, no
 * or malformed authentication — with the work each outcome costs (one hash comparison, against a
 * dummy hash for an unknown client), its audit event and its rate limits; and the cache: a rotated
 * secret stops working as soon as the change is announced, here or by the cluster's feed.
 *
 * <p>Behind the registry: its cache over a map (the loader overridden), the real {@link RateLimits}
 * over local buckets on a hand-moved time meter (3 failures a minute per address, 5 per client id
 * and network), and an {@link AuditLog} and {@link Refusals} that keep what they get.
 */
class ClientRegistryTest {

  private static final String SECRET = "s3cret-0123456789-abcdefghijklmnopqrstuv";
  private static final ClientInfo FROM = new ClientInfo("203.0.113.5", "curl/8", "req-1");
  private static final ClientInfo ELSEWHERE = new ClientInfo("198.51.100.9", "curl/8", "req-2");

  private final Map<String, ClientRecord> stored = new HashMap<>();
  private final AtomicInteger loads = new AtomicInteger();
  private RuntimeException databaseFailure;
  private final List<AuditRecord> audited = new ArrayList<>();
  private final List<AuditRecord> refusals = new ArrayList<>();
  private RuntimeException auditFailure;
  private final List<String> comparedWith = new ArrayList<>();
  private long meterNanos;
  private final ClientRegistry registry;

  ClientRegistryTest() {
    registry =
        new ClientRegistry() {
          @Override
          Optional<ClientRecord> load(String clientId) {
            loads.incrementAndGet();
            if (databaseFailure != null) {
              throw databaseFailure;
            }
            return Optional.ofNullable(stored.get(clientId));
          }
        };
    registry.audit =
        new AuditLog() {
          @Override
          public void record(AuditRecord record) {
            if (auditFailure != null) {
              throw auditFailure;
            }
            audited.add(record);
          }
        };
    registry.refusals =
        new Refusals() {
          @Override
          public void record(AuditRecord refusal) {
            refusals.add(refusal);
          }
        };
    var limits =
        RateLimitSettings.read(
            new MapConfig(
                Map.of(
                    "portcullis.rate-limit.client-auth.failures", "4",
                    "portcullis.rate-limit.client-auth.period", "PT1M",
                    "portcullis.rate-limit.account.failures", "5")));
    registry.rateLimits =
        new RateLimits(
            limits,
            new LocalRateLimitBuckets(
                1000,
                Duration.ofHours(1),
                new TimeMeter() {
                  @Override
                  public long currentTimeNanos() {
                    return meterNanos;
                  }

                  @Override
                  public boolean isWallClockBased() {
                    return false;
                  }
                }));
    registry.secretMatches =
        (presented, hash) -> {
          comparedWith.add(hash);
          return ClientSecrets.matches(presented, hash);
        };
    register("basic", ClientAuthMethod.CLIENT_SECRET_BASIC, SECRET);
    register("post", ClientAuthMethod.CLIENT_SECRET_POST, SECRET);
    register("app", ClientAuthMethod.NONE, null);
  }

  private void register(String id, ClientAuthMethod method, String secret) {
    var client =
        new RegisteredClient(
            id,
            id,
            List.of("https://app.example.com/cb"),
            List.of(),
            Set.of(RegisteredClient.AUTHORIZATION_CODE),
            method,
            Set.of("openid"),
            true,
            false,
            AccessTokenProfile.RFC9068,
            Set.of(),
            Optional.empty(),
            Optional.empty(),
            false);
    stored.put(id, new ClientRecord(client, secret == null ? null : ClientSecrets.hash(secret)));
  }

  private RegisteredClient authenticate(String authorization, MultivaluedMap<String, String> form) {
    return registry.authenticate(authorization, form, FROM);
  }

  private OAuthError refused(String authorization, MultivaluedMap<String, String> form) {
    return refused(authorization, form, FROM);
  }

  private OAuthError refused(
      String authorization, MultivaluedMap<String, String> form, ClientInfo from) {
    var error =
        catchThrowableOfType(
            OAuthError.class, () -> registry.authenticate(authorization, form, from));
    assertThat(error).as("refused").isNotNull();
    return error;
  }

  private void assertInvalidClient(OAuthError error, String reason, String subject) {
    assertThat(error.status()).isEqualTo(401);
    assertThat(error.error()).isEqualTo("invalid_client");
    assertThat(error.headers())
        .containsEntry("WWW-Authenticate", "Basic realm=\"portcullis\", charset=\"UTF-8\"");
    assertThat(audited).hasSize(1);
    var event = audited.get(0);
    assertThat(event.type()).isEqualTo(AuditEventType.CLIENT_AUTH_FAILED);
    assertThat(event.outcome()).isEqualTo(AuditRecord.Outcome.FAILURE);
    assertThat(event.reason()).isEqualTo(reason);
    assertThat(event.subject()).isEqualTo(subject);
    assertThat(event.client()).isEqualTo(FROM);
    assertThat(String.valueOf(event)).doesNotContain(SECRET).doesNotContain("wrong-secret");
    assertThat(error.description()).isEqualTo("Client authentication failed");
  }

  // --- each method ------------------------------------------------------------------------------

  @Test
  void aClientSecretBasicClientAuthenticatesWithBasic() {
    assertThat(authenticate(basic("basic:" + SECRET), form()).clientId()).isEqualTo("basic");
    assertThat(audited).isEmpty();
    assertThat(comparedWith).containsExactly(stored.get("basic").secretHash());
  }

  @Test
  void aClientSecretPostClientAuthenticatesInTheForm() {
    var client = authenticate(null, form("client_id", "post", "client_secret", SECRET));
    assertThat(client.clientId()).isEqualTo("post");
    assertThat(audited).isEmpty();
  }

  @Test
  void aPublicClientIsIdentifiedByItsIdAlone() {
    var client = authenticate(null, form("client_id", "app"));
    assertThat(client.clientId()).isEqualTo("app");
    assertThat(client.isPublic()).isTrue();
    assertThat(comparedWith).as("the same work as a secret check").hasSize(1);
  }

  @Test
  void aBasicSecretWithFormEncodedCharactersIsDecoded() {
    register("odd", ClientAuthMethod.CLIENT_SECRET_BASIC, "a+b c:d%" + SECRET);
    var encoded = "a%2Bb+c%3Ad%25" + SECRET;
    assertThat(authenticate(basic("odd:" + encoded), form()).clientId()).isEqualTo("odd");
    assertThat(refused(basic("odd:a+b c:d%" + SECRET), form()).error())
        .as("the raw value is not what the client registered")
        .isEqualTo("invalid_client");
  }

  // --- refusals ---------------------------------------------------------------------------------

  @Test
  void aWrongSecretIsRefused() {
    assertInvalidClient(refused(basic("basic:wrong-secret"), form()), "BAD_SECRET", "basic");
    assertThat(comparedWith).containsExactly(stored.get("basic").secretHash());
  }

  @Test
  void aMissingOrEmptySecretIsAWrongMethodOrAWrongSecret() {
    assertInvalidClient(refused(basic("basic:"), form()), "BAD_SECRET", "basic");
    audited.clear();
    assertInvalidClient(refused(null, form("client_id", "post")), "WRONG_METHOD", "post");
  }

  @Test
  void anUnknownClientDoesTheSameWorkAgainstADummyHash() {
    assertInvalidClient(refused(basic("nobody:" + SECRET), form()), "UNKNOWN_CLIENT", "nobody");
    assertThat(comparedWith).containsExactly(ClientSecrets.DUMMY_HASH);
    assertThat(loads).hasValue(1);
  }

  @Test
  void everyOutcomeComparesOneHash() {
    authenticate(basic("basic:" + SECRET), form());
    refused(basic("basic:wrong-secret"), form());
    refused(basic("nobody:wrong-secret"), form());
    refused(null, form("client_id", "basic", "client_secret", SECRET));
    refused(null, form("client_id", "nobody"));
    assertThat(comparedWith).hasSize(5);
  }

  @Test
  void aMethodOtherThanTheRegisteredOneIsRefusedEvenWithTheRightSecret() {
    assertInvalidClient(
        refused(null, form("client_id", "basic", "client_secret", SECRET)),
        "WRONG_METHOD",
        "basic");
    audited.clear();
    assertInvalidClient(refused(basic("post:" + SECRET), form()), "WRONG_METHOD", "post");
    audited.clear();
    assertInvalidClient(refused(null, form("client_id", "basic")), "WRONG_METHOD", "basic");
    audited.clear();
    assertInvalidClient(refused(basic("app:anything"), form()), "WRONG_METHOD", "app");
  }

  @Test
  void noClientAuthenticationIsRefused() {
    assertInvalidClient(
        refused(null, form("grant_type", "client_credentials")), "NO_CLIENT_AUTH", null);
  }

  @Test
  void anUndecodableBasicHeaderIsRefused() {
    assertInvalidClient(refused("Basic !!!", form()), "MALFORMED", null);
  }

  @Test
  void mixedMethodsAreAnInvalidRequestAndNotChecked() {
    var error = refused(basic("basic:" + SECRET), form("client_secret", SECRET));
    assertThat(error.status()).isEqualTo(400);
    assertThat(error.error()).isEqualTo("invalid_request");
    assertThat(comparedWith).isEmpty();
    assertThat(audited).isEmpty();
  }

  @Test
  void aMalformedClientIdIsNeverLookedUpAndIsClippedInTheAuditEvent() {
    String longId = "x".repeat(300);
    var error = refused(null, form("client_id", longId, "client_secret", "s"));
    assertThat(error.error()).isEqualTo("invalid_client");
    assertThat(loads).hasValue(0);
    assertThat(audited.get(0).subject()).isEqualTo("x".repeat(64) + "…");
    audited.clear();
    refused(null, form("client_id", "a\nb=c", "client_secret", "s"));
    assertThat(loads).hasValue(0);
    assertThat(audited.get(0).reason()).isEqualTo("UNKNOWN_CLIENT");
  }

  // --- rate limits ------------------------------------------------------------------------------

  @Test
  void failuresFromOneAddressAreLimitedBeforeAnythingIsChecked() {
    for (int i = 0; i < 4; i++) {
      refused(basic("basic:wrong-secret"), form());
    }
    comparedWith.clear();
    audited.clear();

    var limited = refused(basic("basic:" + SECRET), form());

    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.headers()).containsEntry("Retry-After", "15");
    assertThat(comparedWith).as("nothing checked").isEmpty();
    assertThat(audited).isEmpty();
    assertThat(refusals)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.type()).isEqualTo(AuditEventType.RATE_LIMITED);
              assertThat(r.reason()).isEqualTo("CLIENT_AUTH");
              assertThat(r.subject()).isEqualTo("basic");
            });
    assertThat(refused(null, form("client_id", "app")).status())
        .as("the address, whichever client it names")
        .isEqualTo(429);
    assertThat(registry.authenticate(basic("basic:" + SECRET), form(), ELSEWHERE).clientId())
        .as("from another address")
        .isEqualTo("basic");
    meterNanos += TimeUnit.SECONDS.toNanos(15);
    assertThat(authenticate(basic("basic:" + SECRET), form()).clientId()).isEqualTo("basic");
  }

  @Test
  void successesDoNotCount() {
    for (int i = 0; i < 10; i++) {
      authenticate(basic("basic:" + SECRET), form());
    }
    assertThat(authenticate(basic("basic:" + SECRET), form()).clientId()).isEqualTo("basic");
  }

  @Test
  void failuresNamingOneClientIdAreLimitedForThatIdFromThatNetwork() {
    // five failures for "basic" from five addresses of one /24: the client id's network limit
    for (int i = 1; i <= 5; i++) {
      refused(basic("basic:wrong-secret"), form(), new ClientInfo("192.0.2." + i, null, null));
    }
    var limited =
        refused(basic("basic:" + SECRET), form(), new ClientInfo("192.0.2.99", null, null));
    assertThat(limited.status()).isEqualTo(429);
    assertThat(registry.authenticate(basic("basic:" + SECRET), form(), ELSEWHERE).clientId())
        .as("the owner, from another network")
        .isEqualTo("basic");
  }

  // --- the cache --------------------------------------------------------------------------------

  @Test
  void aRotatedSecretStopsWorkingOnceTheChangeIsAnnounced() {
    assertThat(authenticate(basic("basic:" + SECRET), form())).isNotNull();
    String rotated = ClientSecrets.generate();
    register("basic", ClientAuthMethod.CLIENT_SECRET_BASIC, rotated); // the database now
    assertThat(authenticate(basic("basic:" + SECRET), form()))
        .as("until the change completes, the cache still has the old record")
        .isNotNull();

    registry.onChanged(Change.of(ChangeKind.OAUTH_CLIENT, "basic"));

    assertInvalidClient(refused(basic("basic:" + SECRET), form()), "BAD_SECRET", "basic");
    assertThat(authenticate(basic("basic:" + rotated), form()).clientId()).isEqualTo("basic");
  }

  @Test
  void aChangeOnAnotherNodeArrivesThroughTheFeed() {
    assertThat(registry.find("post")).isPresent();
    stored.remove("post");
    registry.onChanged(Change.of(ChangeKind.API_KEY, "post")); // another kind: no effect
    assertThat(registry.find("post")).isPresent();

    registry.onStale(StaleEntries.of(ChangeKind.OAUTH_CLIENT, List.of("post")));
    assertThat(registry.find("post")).isEmpty();

    stored.remove("app");
    registry.find("app");
    registry.onStale(StaleEntries.all());
    assertThat(registry.find("app")).isEmpty();
  }

  @Test
  void findReadsTheDatabaseOncePerClient() {
    assertThat(registry.find("basic")).map(RegisteredClient::name).contains("basic");
    assertThat(registry.find("basic")).isPresent();
    assertThat(registry.find("nobody")).isEmpty();
    assertThat(registry.find("nobody")).isEmpty();
    assertThat(loads).hasValue(2);
    assertThat(registry.find(null)).isEmpty();
    assertThat(registry.find("../etc")).isEmpty();
    assertThat(loads).hasValue(2);
  }

  // --- failures of the stores -------------------------------------------------------------------

  @Test
  void anUnreachableDatabaseIsTemporarilyUnavailable() {
    databaseFailure =
        new PersistenceException(new SQLTransientConnectionException("connection refused"));
    var error = refused(basic("basic:" + SECRET), form());
    assertThat(error.status()).isEqualTo(503);
    assertThat(error.error()).isEqualTo("temporarily_unavailable");
  }

  @Test
  void anUnwritableAuditIsTemporarilyUnavailableNotASuccessOrAProblem() {
    auditFailure = ProblemException.unavailable();
    var error = refused(basic("basic:wrong-secret"), form());
    assertThat(error.status()).isEqualTo(503);
    assertThat(error.error()).isEqualTo("temporarily_unavailable");
  }
}
