package dev.portcullis.token;

import static dev.portcullis.testing.ValidationResults.assertValid;
import static jakarta.security.enterprise.identitystore.CredentialValidationResult.Status.INVALID;
import static jakarta.security.enterprise.identitystore.CredentialValidationResult.Status.NOT_VALIDATED;
import static jakarta.security.enterprise.identitystore.CredentialValidationResult.Status.VALID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.apikey.ApiKeyCredential;
import dev.portcullis.audit.AuditEventType;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.audit.Refusals;
import dev.portcullis.caller.AuthMethod;
import dev.portcullis.caller.Caller;
import dev.portcullis.cluster.Change;
import dev.portcullis.cluster.ChangeKind;
import dev.portcullis.config.MapConfig;
import dev.portcullis.config.Settings;
import dev.portcullis.config.SettingsProducer;
import dev.portcullis.credential.Rejection;
import dev.portcullis.session.SessionCredential;
import dev.portcullis.testing.MovableClock;
import dev.portcullis.testing.TokenForge;
import dev.portcullis.user.UserSnapshotsStandIn;
import dev.portcullis.web.ClientInfo;
import jakarta.persistence.PersistenceException;
import jakarta.security.enterprise.credential.Credential;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore.ValidationType;
import java.security.PrivateKey;
import java.sql.SQLTransientConnectionException;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.Test;

/**
 * The decision table of {@link AccessTokenIdentityStore}, one test per row: a valid token, a
 * foreign credential, every refusal with the reason it audits (expired, malformed, wrongly signed,
 * malformed claim, revoked {@code sid}, disabled or unknown user), groups narrowed to the user's
 * current roles, and an unreachable user store.
 *
 * <p>Everything behind the store is real: {@link AccessTokens} over a one-key ring, {@link
 * RevokedFamilies} told of a revocation as a committed change tells it, and {@link
 * dev.portcullis.user.UserSnapshots} over a map ({@link UserSnapshotsStandIn}); only {@link
 * Refusals} is a stand-in that keeps what it is given. Foreign tokens are crafted with
 * nimbus-jose-jwt. Time is pinned with a {@link MovableClock}.
 */
class AccessTokenIdentityStoreTest {

  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final String ISSUER = "https://id.portcullis.test";
  private static final Duration TTL = Duration.ofMinutes(15);
  private static final Duration LEEWAY = Duration.ofSeconds(10);
  private static final String KID = "k1";
  private static final UUID ALICE = UUID.fromString("5f0c7a2e-8d1b-4c3a-9e6f-0a1b2c3d4e5f");
  private static final String FAMILY = "family-1";
  private static final ClientInfo CLIENT = new ClientInfo("203.0.113.5", "curl/8", "req-1");
  private static final RsaJsonWebKey RING_KEY = ringKey();

  private final MovableClock clock = new MovableClock(T0);
  private final Settings settings =
      SettingsProducer.read(
          new MapConfig(
              Map.of(
                  "portcullis.issuer", ISSUER,
                  "portcullis.token.access-ttl", TTL.toString(),
                  "portcullis.token.clock-leeway", LEEWAY.toString())));
  private final AccessTokens tokens =
      new AccessTokens(
          settings,
          clock,
          () ->
              new KeyRing(
                  List.of(
                      new KeyRing.Entry(
                          KID, "PS256", RING_KEY, T0.minus(Duration.ofDays(1)), null)),
                  settings.maxTokenLifetime()));
  private final RevokedFamilies revoked = new RevokedFamilies();
  private final UserSnapshotsStandIn users = new UserSnapshotsStandIn();
  private final List<AuditRecord> refused = new ArrayList<>();
  private final AtomicInteger clientReads = new AtomicInteger();
  private final AccessTokenIdentityStore store = new AccessTokenIdentityStore();

  AccessTokenIdentityStoreTest() {
    revoked.settings = settings;
    revoked.clock = clock;
    store.tokens = tokens;
    store.revoked = revoked;
    store.users = users.snapshots();
    store.refusals =
        new Refusals() {
          @Override
          public void record(AuditRecord refusal) {
            refused.add(refusal);
          }
        };
  }

  // --- valid ----------------------------------------------------------------------------------

  @Test
  void aValidTokenIsValidForTheUserItNames() {
    users.with(UserSnapshotsStandIn.active(ALICE, "alice", Set.of("user", "admin")));
    String token = issue(Set.of("user", "admin"));

    var result = validate(bearer(token));

    assertValid(
        result,
        new Caller(
            ALICE, "alice", Set.of("user", "admin"), AuthMethod.JWT, FAMILY, tokenIdOf(token)));
    assertThat(refused).as("audited refusals").isEmpty();
    assertThat(clientReads).as("client info read for a valid token").hasValue(0);
  }

  @Test
  void theStoreValidatesAndProvidesGroups() {
    // a validate-only store's groups are discarded by the IdentityStoreHandler
    assertThat(store.validationTypes())
        .containsExactlyInAnyOrder(ValidationType.VALIDATE, ValidationType.PROVIDE_GROUPS);
  }

  @Test
  void aCredentialOfAnotherKindIsNotValidated() {
    users.with(UserSnapshotsStandIn.active(ALICE, "alice", Set.of("user")));

    for (Credential foreign :
        List.<Credential>of(
            new SessionCredential(issue(Set.of("user"))),
            new ApiKeyCredential(issue(Set.of("user")), null, CLIENT.ip(), () -> CLIENT),
            new UsernamePasswordCredential("alice", "secret"))) {
      assertThat(store.validate(foreign).getStatus())
          .as(foreign.toString())
          .isEqualTo(NOT_VALIDATED);
    }
    assertThat(refused).isEmpty();
    assertThat(users.loads()).as("user look-ups").isZero();
  }

  // --- the token itself -----------------------------------------------------------------------

  @Test
  void anExpiredTokenIsInvalidAndSaysItExpired() {
    users.with(UserSnapshotsStandIn.active(ALICE, "alice", Set.of("user")));
    var bearer = bearer(issue(Set.of("user")));
    clock.advance(TTL.plus(LEEWAY));

    var result = validate(bearer);

    assertRefused(result, bearer, Rejection.expired(), "EXPIRED", null, null);
  }

  @Test
  void aMalformedTokenIsInvalid() {
    var bearer = bearer("not-a-jwt");

    var result = validate(bearer);

    assertRefused(
        result,
        bearer,
        Rejection.invalid("The access token is not valid"),
        "MALFORMED",
        null,
        null);
    assertThat(users.loads()).as("user look-ups").isZero();
  }

  @Test
  void aTokenSignedWithAnotherKeyIsInvalid() {
    users.with(UserSnapshotsStandIn.active(ALICE, "alice", Set.of("user")));
    var claims = claims(ALICE.toString()).build();
    assertThat(validate(bearer(crafted(claims, RING_KEY.getRsaPrivateKey()))).getStatus())
        .as("control: the same claims signed with the ring's key")
        .isEqualTo(VALID);
    var bearer = bearer(crafted(claims, TokenForge.rsaKeyPair().getPrivate()));

    var result = validate(bearer);

    assertRefused(
        result, bearer, Rejection.invalid("The access token is not valid"), "INVALID", null, null);
  }

  @Test
  void aTokenWithAMalformedClaimIsInvalid() {
    // signed with the ring's key, but its subject is no user id
    var bearer = bearer(crafted(claims("alice").build(), RING_KEY.getRsaPrivateKey()));

    var result = validate(bearer);

    assertRefused(
        result,
        bearer,
        Rejection.invalid("The access token is not valid"),
        "MALFORMED_CLAIM",
        null,
        null);
  }

  // --- revocation and the user now -------------------------------------------------------------

  @Test
  void aTokenOfARevokedFamilyIsInvalid() {
    users.with(UserSnapshotsStandIn.active(ALICE, "alice", Set.of("user")));
    var bearer = bearer(issue(Set.of("user")));
    revoked.onRevoked(Change.of(ChangeKind.REVOKED_SID, FAMILY));

    var result = validate(bearer);

    assertRefused(
        result,
        bearer,
        Rejection.invalid("The access token has been revoked"),
        "REVOKED_SID",
        ALICE.toString(),
        "sid=" + FAMILY);
  }

  @Test
  void aRevokedFamilyLeavesTheUsersOtherFamiliesValid() {
    users.with(UserSnapshotsStandIn.active(ALICE, "alice", Set.of("user")));
    revoked.onRevoked(Change.of(ChangeKind.REVOKED_SID, FAMILY));
    String other = tokens.issue(ALICE, "alice", Set.of("user"), "family-2").value();

    var result = validate(bearer(other));

    assertValid(
        result,
        new Caller(ALICE, "alice", Set.of("user"), AuthMethod.JWT, "family-2", tokenIdOf(other)));
  }

  @Test
  void aTokenOfADisabledUserIsInvalid() {
    users.with(UserSnapshotsStandIn.disabled(ALICE, "alice", Set.of("user")));
    var bearer = bearer(issue(Set.of("user")));

    var result = validate(bearer);

    assertRefused(
        result,
        bearer,
        Rejection.invalid("The access token has been revoked"),
        "USER_INACTIVE",
        ALICE.toString(),
        "sid=" + FAMILY);
  }

  @Test
  void aTokenOfAnUnknownUserIsInvalid() {
    // a deleted user: the same answer as a disabled one
    var bearer = bearer(issue(Set.of("user")));

    var result = validate(bearer);

    assertRefused(
        result,
        bearer,
        Rejection.invalid("The access token has been revoked"),
        "USER_INACTIVE",
        ALICE.toString(),
        "sid=" + FAMILY);
  }

  @Test
  void aRoleRemovedSinceIssueIsDroppedFromTheGroups() {
    String token = issue(Set.of("user", "admin"));
    users.with(UserSnapshotsStandIn.active(ALICE, "alice", Set.of("user")));

    var result = validate(bearer(token));

    assertValid(
        result,
        new Caller(ALICE, "alice", Set.of("user"), AuthMethod.JWT, FAMILY, tokenIdOf(token)));
  }

  @Test
  void aRoleGrantedSinceIssueIsNotAddedToTheGroups() {
    String token = issue(Set.of("user"));
    users.with(UserSnapshotsStandIn.active(ALICE, "alice", Set.of("user", "admin")));

    var result = validate(bearer(token));

    assertValid(
        result,
        new Caller(ALICE, "alice", Set.of("user"), AuthMethod.JWT, FAMILY, tokenIdOf(token)));
  }

  @Test
  void theCallerIsNamedAsTheUserIsNamedNow() {
    String token = issue(Set.of("user")); // upn alice
    users.with(UserSnapshotsStandIn.active(ALICE, "alice.renamed", Set.of("user")));

    var result = validate(bearer(token));

    assertValid(
        result,
        new Caller(
            ALICE, "alice.renamed", Set.of("user"), AuthMethod.JWT, FAMILY, tokenIdOf(token)));
  }

  // --- the user store unreachable -------------------------------------------------------------

  @Test
  void anUnreachableUserStoreFailsTheValidationForTheMechanismToAnswer503() {
    var failure =
        new PersistenceException(
            "Unable to acquire JDBC Connection",
            new SQLTransientConnectionException("Connection is not available"));
    users.failWith(failure);
    var bearer = bearer(issue(Set.of("user")));

    assertThatThrownBy(() -> store.validate(bearer)).isSameAs(failure);

    assertThat(refused).as("audited refusals").isEmpty();
    assertThat(bearer.rejection())
        .as("left for the mechanism to set")
        .isEqualTo(Rejection.invalid("The credential is not valid"));
  }

  // --- fixtures -------------------------------------------------------------------------------

  private CredentialValidationResult validate(Credential credential) {
    return store.validate(credential);
  }

  private BearerTokenCredential bearer(String token) {
    return new BearerTokenCredential(
        token,
        () -> {
          clientReads.incrementAndGet();
          return CLIENT;
        });
  }

  private String issue(Set<String> groups) {
    return tokens.issue(ALICE, "alice", groups, FAMILY).value();
  }

  private void assertRefused(
      CredentialValidationResult result,
      BearerTokenCredential bearer,
      Rejection rejection,
      String reason,
      String subject,
      String detail) {
    assertThat(result.getStatus()).isEqualTo(INVALID);
    assertThat(result.getCallerPrincipal()).isNull();
    assertThat(bearer.rejection()).isEqualTo(rejection);
    assertThat(refused)
        .singleElement()
        .isEqualTo(
            AuditRecord.failure(AuditEventType.ACCESS_TOKEN_REFUSED, reason, subject, CLIENT)
                .withDetail(detail));
  }

  /** The {@code jti}, read by nimbus rather than by the code under test. */
  private static String tokenIdOf(String token) {
    try {
      return SignedJWT.parse(token).getJWTClaimsSet().getJWTID();
    } catch (ParseException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The claims Portcullis issues at {@link #T0}, for {@code subject}. */
  private static JWTClaimsSet.Builder claims(String subject) {
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject(subject)
        .audience("portcullis")
        .issueTime(Date.from(T0))
        .notBeforeTime(Date.from(T0))
        .expirationTime(Date.from(T0.plus(TTL)))
        .jwtID("jti-crafted")
        .claim("scope", "api")
        .claim("client_id", "portcullis")
        .claim("sid", FAMILY)
        .claim("upn", "alice")
        .claim("groups", List.of("user"));
  }

  /** A PS256 {@code at+jwt} naming the ring's key id, signed with {@code key} by nimbus. */
  private static String crafted(JWTClaimsSet claims, PrivateKey key) {
    var jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.PS256)
                .type(new JOSEObjectType("at+jwt"))
                .keyID(KID)
                .build(),
            claims);
    try {
      jwt.sign(new RSASSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  private static RsaJsonWebKey ringKey() {
    try {
      var jwk = RsaJwkGenerator.generateJwk(2048);
      jwk.setKeyId(KID);
      return jwk;
    } catch (JoseException e) {
      throw new IllegalStateException(e);
    }
  }
}
