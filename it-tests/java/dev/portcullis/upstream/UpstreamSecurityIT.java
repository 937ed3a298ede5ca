package dev.portcullis.upstream;

import static dev.portcullis.upstream.CallbackSteps.authorize;
import static dev.portcullis.upstream.CallbackSteps.callback;
import static dev.portcullis.upstream.CallbackSteps.sessionCookie;
import static dev.portcullis.upstream.CallbackSteps.signInEvents;
import static dev.portcullis.upstream.CallbackSteps.start;
import static dev.portcullis.upstream.CallbackSteps.target;
import static dev.portcullis.upstream.CallbackSteps.users;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.delegation.DelegationProvider;
import dev.portcullis.it.Api;
import dev.portcullis.it.PortcullisServer;
import dev.portcullis.upstream.CallbackSteps.Attempt;
import dev.portcullis.upstream.ScriptedProvider.Answer;
import dev.portcullis.upstream.ScriptedProvider.Authorization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 17 / SECURITY.md "Upstream providers" and "JOSE / JWT" over plain HTTP: every way an
 * upstream sign-in must be refused, each against a real provider on loopback ({@link
 * ScriptedProvider} writes the hostile ID tokens with Nimbus; {@code down} listens nowhere). Every
 * refusal is checked the same way: a 303 to {@code /login?upstream=<id>&error=failed} (or {@code
 * unavailable}), no 5xx, no session cookie, no account created, exactly one {@code
 * UPSTREAM_SIGN_IN} failure in the audit log with the expected reason, and no code or token of the
 * provider in any Location Portcullis sends; at the end, no code, token or client secret in
 * Portcullis' log.
 */
@ExtendWith(DelegationProvider.class)
class UpstreamSecurityIT {

  private static final List<String> LOCATIONS = new ArrayList<>();

  private static PortcullisServer server;
  private static UpstreamFixtures upstream;
  private static ScriptedProvider scripted;

  @BeforeAll
  static void fixtures(PortcullisServer portcullis, UpstreamFixtures fixtures) {
    server = portcullis;
    upstream = fixtures;
    scripted = fixtures.scripted();
  }

  private static int usersBefore;

  @BeforeEach
  void countUsers(Api api) {
    usersBefore = users(api);
  }

  @AfterEach
  void resetScript() {
    scripted.reset();
  }

  @AfterAll
  static void noCodeTokenOrSecretInTheLog() throws Exception {
    String log = Files.readString(server.logFile(), StandardCharsets.UTF_8);
    var secrets = new ArrayList<String>(scripted.handedOut());
    secrets.addAll(upstream.clientSecrets());
    assertThat(secrets).isNotEmpty();
    for (String secret : secrets) {
      assertThat(log).as("Portcullis' log").doesNotContain(secret);
    }
  }

  // --- the start ---------------------------------------------------------------------------------

  @Test
  void anUnknownProviderIsNotFound(Api api) {
    assertThat(api.get("/login/oauth2/start/nosuch").status()).isEqualTo(404);
    assertThat(api.get("/login/oauth2/callback/nosuch?code=a&state=b").status()).isEqualTo(404);
    assertThat(api.get("/login/oauth2/start/").status()).isEqualTo(404);
    assertThat(api.get("/login/oauth2/start/SCRIPTED").status()).isEqualTo(404);
  }

  @Test
  void theStartSendsStateNoncePkceAndBindsTheBrowser(Api api) {
    Attempt attempt = start(api, "scripted", "/account");
    assertThat(attempt.authorizationUrl()).startsWith(scripted.issuer() + "/authorize?");
    var query = attempt.query();
    assertThat(query.get("response_type")).isEqualTo("code");
    assertThat(query.get("client_id")).isEqualTo(ScriptedProvider.CLIENT_ID);
    assertThat(query.get("redirect_uri"))
        .isEqualTo(server.issuer() + "/login/oauth2/callback/scripted");
    assertThat(query.get("scope").split(" ")).contains("openid");
    assertThat(query.get("state")).hasSizeGreaterThanOrEqualTo(22);
    assertThat(query.get("nonce")).hasSizeGreaterThanOrEqualTo(22).isNotEqualTo(attempt.state());
    assertThat(query.get("code_challenge")).matches("[A-Za-z0-9_-]{43}");
    assertThat(query.get("code_challenge_method")).isEqualTo("S256");
    assertThat(query).doesNotContainKey("next");
    String cookie = Api.setCookieHeader(attempt.reply(), CallbackSteps.BINDING);
    assertThat(cookie).as("the binding cookie").isNotNull();
    assertThat(cookie.toLowerCase())
        .contains("; httponly", "; secure", "; samesite=lax", "; path=/")
        .doesNotContain("domain=");
    assertThat(attempt.binding()).hasSizeGreaterThanOrEqualTo(43);
    assertThat(sessionCookie(attempt.reply())).isNull();

    Attempt second = start(api, "scripted", null);
    assertThat(second.state()).isNotEqualTo(attempt.state());
    assertThat(second.query().get("nonce")).isNotEqualTo(query.get("nonce"));
    assertThat(second.query().get("code_challenge")).isNotEqualTo(query.get("code_challenge"));
  }

  @Test
  void aSuccessfulSignInStartsASessionAndIsAudited(Api api) {
    String subject = Api.unique("scripted-ok");
    scripted.script(a -> Answer.idToken(scripted.sign(scripted.claims(a, subject).build())));
    Attempt attempt = start(api, "scripted", "/account?tab=keys");
    String callbackUrl = authorize(api, attempt);

    var reply = callback(api, callbackUrl, attempt.binding(), attempt.agent());

    remember(reply);
    assertThat(reply.status()).isEqualTo(303);
    assertThat(target(api, reply)).isEqualTo("/account?tab=keys");
    String session = sessionCookie(reply);
    assertThat(session).as("a session cookie").isNotNull();
    assertThat(Api.setCookieHeader(reply, CallbackSteps.SESSION).toLowerCase())
        .contains("httponly", "secure");
    var me = api.get("/api/v1/me", "Cookie", CallbackSteps.SESSION + "=" + session);
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().getString("username")).isEqualTo(subject);
    assertThat(users(api)).as("provisioned").isEqualTo(usersBefore + 1);
    var events = signInEvents(api, attempt.agent());
    assertThat(events).hasSize(1);
    assertThat(events.get(0).getString("outcome")).isEqualTo("SUCCESS");
    assertThat(events.get(0).getString("subject")).isEqualTo(me.json().getString("id"));
    assertThat(events.get(0).getString("detail")).contains("scripted");
  }

  // --- state, browser binding, single use -------------------------------------------------------

  @Test
  void aWrongStateIsRefused(Api api) {
    Attempt attempt = start(api, "scripted", null);
    String callbackUrl = authorize(api, attempt);
    String forged =
        callbackUrl.replace("state=" + attempt.state(), "state=forged-" + attempt.state());

    assertRefused(
        api, callback(api, forged, attempt.binding(), attempt.agent()), attempt, "STATE_UNKNOWN");
  }

  @Test
  void aCallbackWithoutTheBindingCookieIsRefused(Api api) {
    Attempt attempt = start(api, "scripted", null);
    String callbackUrl = authorize(api, attempt);

    assertRefused(api, callback(api, callbackUrl, null, attempt.agent()), attempt, "OTHER_BROWSER");
  }

  @Test
  void aCallbackFromAnotherBrowserIsRefused(Api api) {
    Attempt victim = start(api, "scripted", null);
    String callbackUrl = authorize(api, victim);
    Attempt attacker = start(api, "scripted", null);
    assertThat(attacker.binding()).isNotEqualTo(victim.binding());

    // the attacker's browser, holding its own binding cookie, delivers the victim's code and state
    assertRefused(
        api,
        callback(api, callbackUrl, attacker.binding(), victim.agent()),
        victim,
        "OTHER_BROWSER");
  }

  @Test
  void aReplayedCallbackIsRefused(Api api) {
    String subject = Api.unique("scripted-replay");
    scripted.script(a -> Answer.idToken(scripted.sign(scripted.claims(a, subject).build())));
    Attempt attempt = start(api, "scripted", null);
    String callbackUrl = authorize(api, attempt);
    var first = callback(api, callbackUrl, attempt.binding(), attempt.agent());
    assertThat(first.status()).isEqualTo(303);
    assertThat(sessionCookie(first)).isNotNull();
    int redemptions = scripted.redemptions();
    usersBefore = users(api);
    String agent = Api.unique("UpstreamIT-replay");

    var replay = callback(api, callbackUrl, attempt.binding(), agent);

    assertRefused(
        api,
        replay,
        new Attempt("scripted", replay, null, Map.of(), attempt.binding(), agent),
        "STATE_UNKNOWN");
    assertThat(scripted.redemptions())
        .as("the code was not sent upstream again")
        .isEqualTo(redemptions);
  }

  @Test
  void anExpiredOrAbsentStateCannotBeReusedAfterAFailure(Api api) {
    Attempt attempt = start(api, "scripted", null);
    String callbackUrl = authorize(api, attempt);
    assertRefused(api, callback(api, callbackUrl, null, attempt.agent()), attempt, "OTHER_BROWSER");
    String agent = Api.unique("UpstreamIT-retry");

    // the right browser comes too late: the failed use consumed the attempt
    var retry = callback(api, callbackUrl, attempt.binding(), agent);
    assertRefused(
        api, retry, new Attempt("scripted", retry, null, Map.of(), null, agent), "STATE_UNKNOWN");
  }

  @Test
  void theProvidersErrorIsAFailureWithItsCode(Api api) {
    Attempt attempt = start(api, "scripted", "/account");
    String callbackUrl =
        api.server().issuer()
            + "/login/oauth2/callback/scripted?error=access_denied&error_description=User+said+no&state="
            + attempt.state();

    var reply = callback(api, callbackUrl, attempt.binding(), attempt.agent());

    assertRefused(api, reply, attempt, "PROVIDER_ERROR_ACCESS_DENIED", "failed", "/account");
  }

  // --- the ID token ------------------------------------------------------------------------------

  @Test
  void aWrongNonceIsRefused(Api api) {
    refusedWith(
        api,
        a -> scripted.sign(scripted.claims(a, Api.unique("nonce")).claim("nonce", "other").build()),
        "ID_TOKEN_NONCE_MISMATCH");
  }

  @Test
  void aMissingNonceIsRefused(Api api) {
    refusedWith(
        api,
        a -> scripted.sign(scripted.claims(a, Api.unique("nonce")).claim("nonce", null).build()),
        "ID_TOKEN_NONCE_MISMATCH");
  }

  @Test
  void anIdTokenSignedWithAnotherProvidersKeyIsRefused(Api api) {
    // mock-oauth2-server's own key for the "mock" issuer: one Portcullis trusts, for another
    // provider
    refusedWith(
        api,
        a ->
            upstream
                .mock()
                .getConfig()
                .getTokenProvider()
                .jwt(
                    scripted.claims(a, Api.unique("otherkey")).build().toJSONObject(),
                    Duration.ofMinutes(5),
                    "mock")
                .serialize(),
        "ID_TOKEN_UNKNOWN_KEY");
  }

  @Test
  void anIdTokenSignedWithAForeignKeyUnderTheProvidersKidIsRefused(Api api) throws Exception {
    var impostor = new RSAKeyGenerator(2048).keyID(ScriptedProvider.KEY_ID).generate();
    refusedWith(
        api,
        a -> ScriptedProvider.sign(scripted.claims(a, Api.unique("impostor")).build(), impostor),
        "ID_TOKEN_SIGNATURE_INVALID");
  }

  @Test
  void anUnsignedIdTokenIsRefused(Api api) {
    refusedWith(
        api,
        a -> new PlainJWT(scripted.claims(a, Api.unique("none")).build()).serialize(),
        "ID_TOKEN_ALGORITHM_REFUSED");
    // "alg":"NONE" with the real signature part of a valid token
    refusedWith(
        api,
        a -> {
          String[] valid =
              scripted.sign(scripted.claims(a, Api.unique("none")).build()).split("\\.");
          return Base64URL.encode("{\"alg\":\"NONE\",\"kid\":\"scripted-1\"}")
              + "."
              + valid[1]
              + ".";
        },
        "ID_TOKEN_ALGORITHM_REFUSED");
  }

  @Test
  void anHs256TokenKeyedWithThePublicKeyIsRefused(Api api) {
    // algorithm confusion: HMAC keyed with the provider's public key as a verifier might hold it
    refusedWith(
        api,
        a -> {
          var jwt =
              new SignedJWT(
                  new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(ScriptedProvider.KEY_ID).build(),
                  scripted.claims(a, Api.unique("hs256")).build());
          jwt.sign(
              new MACSigner(
                  scripted.key().toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8)));
          return jwt.serialize();
        },
        "ID_TOKEN_ALGORITHM_REFUSED");
  }

  @Test
  void anExpiredIdTokenIsRefused(Api api) {
    Instant past = Instant.now().minus(Duration.ofMinutes(20));
    refusedWith(
        api,
        a ->
            scripted.sign(
                scripted
                    .claims(a, Api.unique("expired"))
                    .issueTime(Date.from(past))
                    .expirationTime(Date.from(past.plus(Duration.ofMinutes(10))))
                    .build()),
        "ID_TOKEN_EXPIRED");
  }

  @Test
  void aWrongAudienceIsRefused(Api api) {
    refusedWith(
        api,
        a ->
            scripted.sign(scripted.claims(a, Api.unique("aud")).audience("another-client").build()),
        "ID_TOKEN_AUDIENCE_MISMATCH");
  }

  @Test
  void aSecondAudienceWithoutAzpIsRefused(Api api) {
    refusedWith(
        api,
        a ->
            scripted.sign(
                scripted
                    .claims(a, Api.unique("aud"))
                    .audience(List.of(ScriptedProvider.CLIENT_ID, "another-client"))
                    .build()),
        "ID_TOKEN_AZP_MISSING");
  }

  @Test
  void aWrongIssuerIsRefused(Api api) {
    refusedWith(
        api,
        a ->
            scripted.sign(
                scripted.claims(a, Api.unique("iss")).issuer(upstream.mockIssuer("mock")).build()),
        "ID_TOKEN_ISSUER_MISMATCH");
    refusedWith(
        api,
        a ->
            scripted.sign(
                scripted.claims(a, Api.unique("iss")).issuer(scripted.issuer() + "/").build()),
        "ID_TOKEN_ISSUER_MISMATCH");
  }

  // --- mix-up (RFC 9207) -------------------------------------------------------------------------

  @Test
  void anIssParameterOfAnotherIssuerIsRefused(Api api) {
    Attempt attempt = start(api, "scripted", null);
    String callbackUrl = authorize(api, attempt);
    String mixedUp =
        callbackUrl.replace(
            "iss=" + ScriptedProvider.encode(scripted.issuer()),
            "iss=" + ScriptedProvider.encode(upstream.mockIssuer("mock")));
    assertThat(mixedUp).isNotEqualTo(callbackUrl);
    int redemptions = scripted.redemptions();

    assertRefused(
        api,
        callback(api, mixedUp, attempt.binding(), attempt.agent()),
        attempt,
        "ISS_PARAMETER_MISMATCH");
    assertThat(scripted.redemptions())
        .as("the code never reached a token endpoint")
        .isEqualTo(redemptions);
  }

  @Test
  void aMissingIssParameterIsRefusedWhenTheProviderAdvertisesIt(Api api) {
    Attempt attempt = start(api, "scripted", null);
    String callbackUrl = authorize(api, attempt);
    String withoutIss =
        callbackUrl.replace("&iss=" + ScriptedProvider.encode(scripted.issuer()), "");
    assertThat(withoutIss).isNotEqualTo(callbackUrl);

    assertRefused(
        api,
        callback(api, withoutIss, attempt.binding(), attempt.agent()),
        attempt,
        "ISS_PARAMETER_MISMATCH");
  }

  // --- an unavailable provider -------------------------------------------------------------------

  @Test
  void aProviderThatIsDownGivesUnavailableAtOnce(Api api) {
    String agent = Api.unique("UpstreamIT-down");
    long began = System.nanoTime();
    var reply = api.get("/login/oauth2/start/down?next=/account", "User-Agent", agent);
    Duration took = Duration.ofNanos(System.nanoTime() - began);

    assertRefused(
        api,
        reply,
        new Attempt("down", reply, null, Map.of(), null, agent),
        "PROVIDER_UNAVAILABLE",
        "unavailable",
        "/account");
    assertThat(took)
        .as("no hang")
        .isLessThan(Duration.ofSeconds(UpstreamFixtures.TIMEOUT_SECONDS + 2));
  }

  @Test
  void aSlowTokenEndpointIsCutOffAtTheTimeout(Api api) {
    scripted.script(
        a ->
            Answer.idToken(scripted.sign(scripted.claims(a, Api.unique("slow")).build()))
                .after(Duration.ofSeconds(UpstreamFixtures.TIMEOUT_SECONDS + 10)));
    Attempt attempt = start(api, "scripted", null);
    String callbackUrl = authorize(api, attempt);
    long began = System.nanoTime();

    var reply = callback(api, callbackUrl, attempt.binding(), attempt.agent());

    Duration took = Duration.ofNanos(System.nanoTime() - began);
    assertRefused(api, reply, attempt, "PROVIDER_UNAVAILABLE", "unavailable", null);
    assertThat(took)
        .as("answered within the timeout and a little")
        .isLessThan(Duration.ofSeconds(UpstreamFixtures.TIMEOUT_SECONDS + 4));
  }

  @Test
  void aServerErrorOfTheTokenEndpointIsUnavailable(Api api) {
    scripted.script(
        a -> new Answer(500, "text/html", "<h1>Internal Server Error</h1>", Duration.ZERO));
    Attempt attempt = start(api, "scripted", null);
    String callbackUrl = authorize(api, attempt);

    assertRefused(
        api,
        callback(api, callbackUrl, attempt.binding(), attempt.agent()),
        attempt,
        "PROVIDER_UNAVAILABLE",
        "unavailable",
        null);
  }

  @Test
  void aTokenErrorOfTheProviderIsAFailure(Api api) {
    scripted.script(
        a -> new Answer(400, "application/json", "{\"error\":\"invalid_grant\"}", Duration.ZERO));
    Attempt attempt = start(api, "scripted", null);
    String callbackUrl = authorize(api, attempt);

    assertRefused(
        api,
        callback(api, callbackUrl, attempt.binding(), attempt.agent()),
        attempt,
        "TOKEN_ERROR_INVALID_GRANT");
  }

  // --- the admin links API -----------------------------------------------------------------------

  @Test
  void theLinksOfAUserAreForAdministratorsOnly(Api api) {
    String subject = Api.unique("scripted-links");
    scripted.script(a -> Answer.idToken(scripted.sign(scripted.claims(a, subject).build())));
    Attempt attempt = start(api, "scripted", null);
    var reply = callback(api, authorize(api, attempt), attempt.binding(), attempt.agent());
    String session = sessionCookie(reply);
    assertThat(session).isNotNull();
    String userId =
        api.get("/api/v1/me", "Cookie", CallbackSteps.SESSION + "=" + session)
            .json()
            .getString("id");
    String path = "/api/v1/admin/users/" + userId + "/links";

    var links = api.get(path, "Authorization", Api.bearer(api.adminToken()));
    assertThat(links.status()).as(links.body()).isEqualTo(200);
    var link = links.json().getJsonArray("links").getJsonObject(0);
    assertThat(link.getString("provider")).isEqualTo("scripted");
    assertThat(link.getString("issuer")).isEqualTo(scripted.issuer());
    assertThat(link.getString("subject")).isEqualTo(subject);

    String user = Api.unique("links-user");
    api.createUser(user, "Links-User-Pass1", "user");
    String userToken = api.login(user, "Links-User-Pass1").getString("access_token");
    assertThat(api.get(path, "Authorization", Api.bearer(userToken)).status()).isEqualTo(403);
    assertThat(api.get(path).status()).isEqualTo(401);
    assertThat(api.get(path, "Cookie", CallbackSteps.SESSION + "=" + session).status())
        .as("the linked user itself is no administrator")
        .isEqualTo(403);
  }

  // --- helpers -----------------------------------------------------------------------------------

  /**
   * Runs a sign-in at the scripted provider whose ID token is {@code idToken}'s; expects refusal.
   */
  private void refusedWith(Api api, TokenWriter idToken, String reason) {
    scripted.script(a -> Answer.idToken(idToken.write(a)));
    Attempt attempt = start(api, "scripted", null);
    String callbackUrl = authorize(api, attempt);
    assertRefused(
        api, callback(api, callbackUrl, attempt.binding(), attempt.agent()), attempt, reason);
  }

  @FunctionalInterface
  private interface TokenWriter {
    String write(Authorization authorization) throws Exception;
  }

  private static void assertRefused(Api api, Api.Reply reply, Attempt attempt, String reason) {
    assertRefused(api, reply, attempt, reason, "failed", null);
  }

  /**
   * What every refused sign-in holds: 303 to the login page with the generic error, no session
   * cookie, no new account, one audited failure whose reason starts with {@code reason}.
   */
  private static void assertRefused(
      Api api, Api.Reply reply, Attempt attempt, String reason, String error, String next) {
    remember(reply);
    assertThat(reply.status()).as("status of a refused sign-in").isEqualTo(303);
    assertThat(target(api, reply))
        .isEqualTo(
            "/login?upstream="
                + attempt.provider()
                + "&error="
                + error
                + (next == null ? "" : "&next=" + ScriptedProvider.encode(next)));
    assertThat(sessionCookie(reply)).as("no session cookie").isNull();
    var events = signInEvents(api, attempt.agent());
    assertThat(events).as("one audited failure").hasSize(1);
    assertThat(events.get(0).getString("outcome")).isEqualTo("FAILURE");
    assertThat(events.get(0).getString("reason")).isEqualTo(reason);
    assertThat(events.get(0).getString("detail")).contains(attempt.provider());
    assertThat(events.get(0).isNull("subject")).as("nobody signed in").isTrue();
    assertThat(users(api)).as("no account created").isEqualTo(usersBefore);
  }

  /** Keeps Portcullis' Location for the final check that no upstream secret is in one. */
  private static void remember(Api.Reply reply) {
    String location = reply.header("Location");
    if (location != null) {
      synchronized (LOCATIONS) {
        LOCATIONS.add(location);
      }
    }
  }

  @AfterAll
  static void noUpstreamCodeOrTokenInPortcullisLocations() {
    var secrets = scripted.handedOut();
    for (String location : LOCATIONS) {
      for (String secret : secrets) {
        assertThat(location).doesNotContain(secret);
      }
      assertThat(location).doesNotContain("code=", "id_token", "access_token", "state=");
    }
  }
}
