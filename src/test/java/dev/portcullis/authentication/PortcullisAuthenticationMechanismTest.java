package dev.portcullis.authentication;

import static jakarta.security.enterprise.AuthenticationStatus.NOT_DONE;
import static jakarta.security.enterprise.AuthenticationStatus.SEND_FAILURE;
import static jakarta.security.enterprise.AuthenticationStatus.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.apikey.ApiKeyCredential;
import dev.portcullis.apikey.ApiKeyReader;
import dev.portcullis.audit.Refusals;
import dev.portcullis.caller.AuthMethod;
import dev.portcullis.caller.Caller;
import dev.portcullis.caller.PortcullisPrincipal;
import dev.portcullis.credential.CredentialReader;
import dev.portcullis.credential.PresentedCredential;
import dev.portcullis.credential.Rejection;
import dev.portcullis.problem.ErrorCode;
import dev.portcullis.problem.JsonFactory;
import dev.portcullis.session.SessionCookieReader;
import dev.portcullis.session.SessionCookies;
import dev.portcullis.session.SessionCredential;
import dev.portcullis.testing.ConfigStandIn;
import dev.portcullis.testing.InstanceStandIn;
import dev.portcullis.testing.MessageContextStandIn;
import dev.portcullis.testing.RequestStandIn;
import dev.portcullis.testing.ResponseStandIn;
import dev.portcullis.token.BearerTokenCredential;
import dev.portcullis.token.BearerTokenReader;
import dev.portcullis.web.ClientInfo;
import jakarta.persistence.PersistenceException;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.credential.Credential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.servlet.http.HttpServletRequest;
import java.io.StringReader;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The mechanism's decision table, one test per row: no credential, one valid, two, a reader that
 * finds its credential twice, a refused one (401, 429), a store that cannot be reached or fails
 * (503), and a refused session cookie on a page and on the API. The real readers read real
 * requests; the identity store is a stand-in that accepts, refuses or throws as each row needs.
 */
class PortcullisAuthenticationMechanismTest {

  private static final Caller ALICE =
      new Caller(
          UUID.fromString("5f0c7a2e-8d1b-4c3a-9e6f-0a1b2c3d4e5f"),
          "alice",
          Set.of("user"),
          AuthMethod.JWT,
          "family-1",
          "jti-1");

  private static final String KEY = "ptc_abcdefghijklmnop_" + "A".repeat(49);
  private static final String UNAVAILABLE = "Authentication is temporarily unavailable";

  private final List<Credential> validated = new ArrayList<>();
  private final List<String> rateLimitAudits = new ArrayList<>();
  private final List<LogRecord> logged = new ArrayList<>();
  private final ResponseStandIn response = new ResponseStandIn();
  private final MessageContextStandIn context = new MessageContextStandIn();
  private final Logger log = Logger.getLogger(PortcullisAuthenticationMechanism.class.getName());
  private final Handler logCapture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          logged.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private Function<PresentedCredential, CredentialValidationResult> store =
      credential -> {
        throw new AssertionError("the store was not expected to be asked");
      };
  private PortcullisAuthenticationMechanism mechanism;
  private HttpServletRequest request;

  @BeforeAll
  static void trustedProxies() {
    ConfigStandIn.install();
  }

  @BeforeEach
  void setUp() {
    // Out of order on purpose: the mechanism orders them as the container would hand them over.
    mechanism =
        mechanismWith(new SessionCookieReader(), new ApiKeyReader(), new BearerTokenReader());
    log.addHandler(logCapture);
    log.setUseParentHandlers(false);
  }

  @AfterEach
  void tearDown() {
    log.removeHandler(logCapture);
    log.setUseParentHandlers(true);
  }

  private PortcullisAuthenticationMechanism mechanismWith(CredentialReader... readers) {
    var built = new PortcullisAuthenticationMechanism();
    built.readerBeans = InstanceStandIn.of(List.of(readers));
    built.identityStores =
        credential -> {
          validated.add(credential);
          return store.apply((PresentedCredential) credential);
        };
    built.refusals =
        new Refusals() {
          @Override
          public void rateLimited(ClientInfo client, String where, String endpoint) {
            rateLimitAudits.add(where + " " + endpoint);
          }
        };
    built.orderReaders();
    return built;
  }

  private AuthenticationStatus validate(RequestStandIn presented) {
    request = presented.build();
    return mechanism.validateRequest(request, response.response(), context.context());
  }

  private static RequestStandIn api() {
    return RequestStandIn.to("/api/v1/me");
  }

  private static RequestStandIn page() {
    return RequestStandIn.to("/account");
  }

  private static Function<PresentedCredential, CredentialValidationResult> accepting(
      Caller caller) {
    return credential ->
        new CredentialValidationResult(new PortcullisPrincipal(caller), caller.groups());
  }

  private static Function<PresentedCredential, CredentialValidationResult> refusing(
      Rejection rejection) {
    return credential -> {
      credential.reject(rejection);
      return CredentialValidationResult.INVALID_RESULT;
    };
  }

  private static Function<PresentedCredential, CredentialValidationResult> failing(
      RuntimeException failure) {
    return credential -> {
      throw failure;
    };
  }

  private static RuntimeException databaseUnreachable() {
    return new PersistenceException(
        "Unable to acquire JDBC Connection",
        new SQLTransientConnectionException("Connection is not available, request timed out"));
  }

  /** The status of a request the mechanism leaves to the resource, as an anonymous one. */
  private void assertContinuesAnonymously(AuthenticationStatus status) {
    assertThat(status).isEqualTo(NOT_DONE);
    assertThat(context.didNothing()).as("doNothing()").isTrue();
    assertThat(context.notifiedLogin()).as("notifyContainerAboutLogin").isEmpty();
    assertThat(request.getAttribute(Caller.ATTRIBUTE)).as("published caller").isNull();
    assertThat(response.status()).as("status written").isZero();
  }

  private void assertLoggedIn(AuthenticationStatus status, Caller caller) {
    assertThat(status).isEqualTo(SUCCESS);
    assertThat(request.getAttribute(Caller.ATTRIBUTE)).isEqualTo(caller);
    assertThat(context.notifiedLogin())
        .get()
        .satisfies(
            result -> {
              assertThat(result.getStatus()).isEqualTo(CredentialValidationResult.Status.VALID);
              assertThat(result.getCallerPrincipal().getName()).isEqualTo(caller.username());
              assertThat(result.getCallerGroups()).isEqualTo(caller.groups());
            });
    assertThat(response.isUntouched()).as("nothing written").isTrue();
  }

  /** Asserts a committed problem+json refusal and answers its body. */
  private ProblemBody assertRefused(AuthenticationStatus status, int code, String problemCode) {
    assertThat(status).isEqualTo(SEND_FAILURE);
    assertThat(context.didNothing()).as("doNothing()").isFalse();
    assertThat(context.notifiedLogin()).as("notifyContainerAboutLogin").isEmpty();
    assertThat(request.getAttribute(Caller.ATTRIBUTE)).as("published caller").isNull();
    assertThat(response.status()).isEqualTo(code);
    assertThat(response.contentType()).isEqualTo("application/problem+json");
    assertThat(response.header("Cache-Control")).isEqualTo("no-store");
    assertThat(response.isCommitted()).isTrue();
    var body = ProblemBody.of(response.body());
    assertThat(body.status()).isEqualTo(code);
    assertThat(body.code()).isEqualTo(problemCode);
    return body;
  }

  private void assertAmbiguous(AuthenticationStatus status) {
    assertRefused(status, 400, "AMBIGUOUS_CREDENTIALS");
    assertThat(response.header("WWW-Authenticate"))
        .isEqualTo("Bearer realm=\"portcullis\", error=\"invalid_request\"");
    assertThat(response.header("Retry-After")).isNull();
    assertThat(validated).as("never validated").isEmpty();
  }

  private record ProblemBody(int status, String code, String detail, Set<String> members) {

    static ProblemBody of(String json) {
      var body = JsonFactory.createReader(new StringReader(json)).readObject();
      return new ProblemBody(
          body.getInt("status"), body.getString("code"), body.getString("detail"), body.keySet());
    }
  }

  // --- no credential -------------------------------------------------------------------------

  @Test
  void aRequestWithoutCredentialIsLeftToTheResource() {
    var status = validate(api());

    assertContinuesAnonymously(status);
    assertThat(response.isUntouched()).isTrue();
    assertThat(validated).isEmpty();
  }

  @Test
  void anAuthorizationOfAnotherSchemeIsNoCredential() {
    var status = validate(api().header("Authorization", "Basic YWxpY2U6c2VjcmV0"));

    assertContinuesAnonymously(status);
    assertThat(response.isUntouched()).isTrue();
    assertThat(validated).isEmpty();
  }

  // --- one valid credential -----------------------------------------------------------------

  @Test
  void aValidBearerTokenLogsTheCallerIn() {
    store = accepting(ALICE);

    var status = validate(api().header("Authorization", "Bearer eyJ.e30.sig"));

    assertLoggedIn(status, ALICE);
    assertThat(validated)
        .singleElement()
        .isInstanceOfSatisfying(
            BearerTokenCredential.class,
            token -> assertThat(token.token()).isEqualTo("eyJ.e30.sig"));
  }

  @Test
  void aValidApiKeyLogsTheCallerIn() {
    store = accepting(ALICE);

    var status = validate(api().header("X-API-Key", KEY));

    assertLoggedIn(status, ALICE);
    assertThat(validated)
        .singleElement()
        .isInstanceOfSatisfying(
            ApiKeyCredential.class, key -> assertThat(key.key()).isEqualTo(KEY));
  }

  @Test
  void aValidSessionCookieLogsTheCallerIn() {
    store = accepting(ALICE);

    var status = validate(page().cookie(SessionCookies.NAME, "s3ss10n"));

    assertLoggedIn(status, ALICE);
    assertThat(validated)
        .singleElement()
        .isInstanceOfSatisfying(
            SessionCredential.class, cookie -> assertThat(cookie.value()).isEqualTo("s3ss10n"));
  }

  // --- two credentials ----------------------------------------------------------------------

  @Test
  void aBearerTokenAndAnApiKeyAreAmbiguous() {
    assertAmbiguous(
        validate(api().header("Authorization", "Bearer eyJ.e30.sig").header("X-API-Key", KEY)));
  }

  @Test
  void aBearerTokenAndASessionCookieAreAmbiguous() {
    assertAmbiguous(
        validate(
            api()
                .header("Authorization", "Bearer eyJ.e30.sig")
                .cookie(SessionCookies.NAME, "s3ss10n")));
  }

  @Test
  void anApiKeyAndASessionCookieAreAmbiguous() {
    assertAmbiguous(
        validate(
            api().header("Authorization", "ApiKey " + KEY).cookie(SessionCookies.NAME, "s3ss10n")));
  }

  // --- a reader finds its credential twice --------------------------------------------------

  @Test
  void twoAuthorizationHeadersAreAmbiguous() {
    assertAmbiguous(
        validate(
            api()
                .header("Authorization", "Bearer eyJ.e30.sig")
                .header("Authorization", "Bearer eyJ.e30.other")));
  }

  @Test
  void twoSessionCookiesAreAmbiguousOnAPageToo() {
    assertAmbiguous(
        validate(
            page().cookie(SessionCookies.NAME, "s3ss10n").cookie(SessionCookies.NAME, "other")));
  }

  // --- refused ------------------------------------------------------------------------------

  @Test
  void anInvalidTokenIsRefusedWithAnRfc6750Challenge() {
    store = refusing(Rejection.invalid("The access token is not valid"));

    var body =
        assertRefused(
            validate(api().header("Authorization", "Bearer eyJ.e30.sig")), 401, "INVALID_TOKEN");

    assertThat(response.header("WWW-Authenticate"))
        .isEqualTo(
            "Bearer realm=\"portcullis\", error=\"invalid_token\","
                + " error_description=\"The access token is not valid\"");
    assertThat(body.detail()).isEqualTo("The access token is not valid");
    assertThat(response.header("Retry-After")).isNull();
    assertThat(rateLimitAudits).as("no 429 to audit").isEmpty();
  }

  @Test
  void anExpiredTokenIsRefusedAsTokenExpired() {
    store = refusing(Rejection.expired());

    assertRefused(
        validate(api().header("Authorization", "Bearer eyJ.e30.sig")), 401, "TOKEN_EXPIRED");

    assertThat(response.header("WWW-Authenticate"))
        .isEqualTo(
            "Bearer realm=\"portcullis\", error=\"invalid_token\","
                + " error_description=\"The access token has expired\"");
  }

  @Test
  void aCredentialNoStoreValidatesIsRefusedAsInvalid() {
    store = credential -> CredentialValidationResult.NOT_VALIDATED_RESULT;

    var body =
        assertRefused(
            validate(api().header("Authorization", "Bearer eyJ.e30.sig")), 401, "INVALID_TOKEN");

    assertThat(body.detail()).isEqualTo("The credential is not valid");
    assertThat(response.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
  }

  @Test
  void aValidResultWithoutAPortcullisPrincipalIsRefused() {
    // A store the application does not own (the container's, a library's) cannot log anyone in.
    store = credential -> new CredentialValidationResult("alice", Set.of("admin"));

    assertRefused(
        validate(api().header("Authorization", "Bearer eyJ.e30.sig")), 401, "INVALID_TOKEN");
  }

  @Test
  void tooManyFailuresAnswer429WithRetryAfterAndNoChallenge() {
    store = refusing(Rejection.rateLimited(30));

    assertRefused(validate(api().header("X-API-Key", KEY)), 429, "RATE_LIMITED");

    assertThat(response.header("Retry-After")).isEqualTo("30");
    assertThat(response.header("WWW-Authenticate")).isNull();
  }

  @Test
  void a429IsAuditedWhereItIsAnswered() {
    store = refusing(Rejection.rateLimited(30));

    validate(api().header("X-API-Key", KEY));

    assertThat(rateLimitAudits).containsExactly("AUTHENTICATION ApiKey");
  }

  @Test
  void aRefusedApiKeyIsChallengedAsBearer() {
    // ApiKeyCredential keeps the default scheme, whether the key came in X-API-Key or in
    // Authorization: ApiKey; pinned as it is, questioned on issue 14.
    store = refusing(new Rejection(ErrorCode.INVALID_API_KEY, "The API key is not valid"));

    assertRefused(validate(api().header("Authorization", "ApiKey " + KEY)), 401, "INVALID_API_KEY");

    assertThat(response.header("WWW-Authenticate"))
        .isEqualTo(
            "Bearer realm=\"portcullis\", error=\"invalid_token\","
                + " error_description=\"The API key is not valid\"");
  }

  @Test
  void aRefusalIsChallengedInTheSchemeOfItsCredential() {
    var custom =
        new PresentedCredential() {
          @Override
          public String challengeScheme() {
            return "ApiKey";
          }
        };
    mechanism =
        mechanismWith(
            new CredentialReader() {
              @Override
              public int order() {
                return 100;
              }

              @Override
              public Optional<PresentedCredential> read(HttpServletRequest request) {
                return Optional.of(custom);
              }
            });
    store = refusing(Rejection.invalid("The key is not valid"));

    assertRefused(validate(api()), 401, "INVALID_TOKEN");

    assertThat(response.header("WWW-Authenticate"))
        .isEqualTo(
            "ApiKey realm=\"portcullis\", error=\"invalid_token\","
                + " error_description=\"The key is not valid\"");
  }

  @Test
  void aRefusedBearerTokenIsAnswered401OnAPageToo() {
    store = refusing(Rejection.invalid("The access token is not valid"));

    assertRefused(
        validate(page().header("Authorization", "Bearer eyJ.e30.sig")), 401, "INVALID_TOKEN");
  }

  // --- store unreachable or failing ---------------------------------------------------------

  @Test
  void anUnreachableStoreAnswers503WithRetryAfter() {
    store = failing(databaseUnreachable());

    var body =
        assertRefused(
            validate(api().header("Authorization", "Bearer eyJ.e30.sig")),
            503,
            "SERVICE_UNAVAILABLE");

    assertThat(body.detail()).isEqualTo(UNAVAILABLE);
    assertThat(response.header("Retry-After")).isEqualTo("5");
    assertThat(response.header("WWW-Authenticate")).as("no challenge: nothing to fix").isNull();
  }

  @Test
  void anUnreachableStoreIsNotLoggedAsAnError() {
    store = failing(databaseUnreachable());

    validate(api().header("X-API-Key", KEY));

    assertThat(logged)
        .noneMatch(record -> record.getLevel().intValue() >= Level.WARNING.intValue());
  }

  @Test
  void anUnexpectedStoreFailureAnswers503WithoutItsStackTrace() {
    store = failing(new IllegalStateException("row 42 of table users_secret is corrupt"));

    var body =
        assertRefused(
            validate(api().header("Authorization", "Bearer eyJ.e30.sig")),
            503,
            "SERVICE_UNAVAILABLE");

    assertThat(body.detail()).isEqualTo(UNAVAILABLE);
    assertThat(body.members())
        .containsExactlyInAnyOrder("type", "title", "status", "detail", "code");
    assertThat(response.body())
        .doesNotContain("IllegalStateException", "users_secret", "dev.portcullis", "\tat ");
    assertThat(response.header("Retry-After")).isEqualTo("5");
  }

  @Test
  void anUnexpectedStoreFailureIsLoggedAsSevere() {
    store = failing(new IllegalStateException("row 42 of table users_secret is corrupt"));

    validate(api().header("Authorization", "Bearer eyJ.e30.sig"));

    assertThat(logged)
        .singleElement()
        .satisfies(record -> assertThat(record.getLevel()).isEqualTo(Level.SEVERE));
  }

  // --- a refused session cookie: pages continue, the API answers ----------------------------

  @Test
  void aRefusedSessionCookieOnAPageIsClearedAndTheRequestContinuesAnonymously() {
    store = refusing(new Rejection(ErrorCode.SESSION_ENDED, "The session has ended"));

    var status = validate(page().cookie(SessionCookies.NAME, "s3ss10n"));

    assertContinuesAnonymously(status);
    assertThat(response.headers("Set-Cookie")).containsExactly(SessionCookies.clearing());
    assertThat(response.headerNames()).containsExactly("Set-Cookie");
    assertThat(response.body()).isEmpty();
  }

  @Test
  void aRefusedSessionCookieOnTheApiIsClearedAndAnswered401() {
    store = refusing(new Rejection(ErrorCode.SESSION_ENDED, "The session has ended"));

    assertRefused(validate(api().cookie(SessionCookies.NAME, "s3ss10n")), 401, "SESSION_ENDED");

    assertThat(response.header("WWW-Authenticate"))
        .isEqualTo(
            "Bearer realm=\"portcullis\", error=\"invalid_token\","
                + " error_description=\"The session has ended\"");
    assertThat(response.headers("Set-Cookie")).containsExactly(SessionCookies.clearing());
  }

  @Test
  void anUnreachableSessionStoreAnswers503OnAPageAndKeepsTheCookie() {
    store = failing(databaseUnreachable());

    assertRefused(
        validate(page().cookie(SessionCookies.NAME, "s3ss10n")), 503, "SERVICE_UNAVAILABLE");

    assertThat(response.header("Retry-After")).isEqualTo("5");
    assertThat(response.header("Set-Cookie")).as("an outage signs nobody out").isNull();
  }
}
