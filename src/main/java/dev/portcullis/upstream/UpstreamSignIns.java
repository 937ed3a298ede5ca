package dev.portcullis.upstream;

import dev.portcullis.audit.AuditEventType;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.config.Settings;
import dev.portcullis.secret.OpaqueTokens;
import dev.portcullis.session.SessionCookies;
import dev.portcullis.session.SessionRecord;
import dev.portcullis.session.SessionService;
import dev.portcullis.web.ClientInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Sign-in and linking through upstream providers (SPEC 3.7): the authorization-code flow with
 * {@code state}, {@code nonce} and PKCE S256, all made and kept server-side ({@link
 * SignInAttempts}), single use, and bound to the browser that started it by the {@code
 * __Host-portcullis-upstream} cookie (HttpOnly, Secure, SameSite=Lax; its SHA-256 is stored with
 * the attempt).
 *
 * <p>Paths (served by {@code login.UpstreamLoginServlet}): {@code GET /login/oauth2/start/<id>[?
 * next=<local path>]} starts a sign-in; {@code GET /login/oauth2/callback/<id>} is the redirect URI
 * to register upstream, {@code <PORTCULLIS_ISSUER>/login/oauth2/callback/<id>}. The callback takes
 * the attempt its {@code state} names (once), checks it is this provider's and this browser's,
 * takes the provider's {@code error} as a refusal, checks the RFC 9207 {@code iss} parameter (equal
 * to the issuer when sent; required when discovery says the provider sends it), redeems the code
 * with the PKCE verifier ({@link CodeExchange}), and learns who signed in: the ID token, fully
 * checked with this provider's keys ({@link IdTokens}), or GitHub's user API ({@link
 * GitHubAccounts}). Then {@link UpstreamAccounts} finds or provisions the account, and a Portcullis
 * browser session starts with the auth method {@code upstream:<id>}.
 *
 * <p>Outcomes, as locations (a context-relative path, or the provider's absolute URL):
 *
 * <ul>
 *   <li>sign-in success: {@code next} (already a checked local target) or {@code /account}, with a
 *       new {@code __Host-portcullis} session cookie;
 *   <li>sign-in failure: {@code /login?upstream=<id>&error=<reason>} (plus {@code &next=} when one
 *       was given), reason {@code unavailable} (the provider did not answer within {@code
 *       portcullis.upstream.timeout}, could not be reached or answered 5xx) or {@code failed}
 *       (everything else);
 *   <li>link success: {@code /account?linked=<id>};
 *   <li>link failure: {@code /account?upstream=<id>&error=<reason>}, reason {@code taken}, {@code
 *       unavailable} or {@code failed}.
 * </ul>
 *
 * Every callback is audited {@code UPSTREAM_SIGN_IN} (success with the user, failure with the
 * reason and the provider's error code, never a code or token). Thread-safe.
 */
@ApplicationScoped
public class UpstreamSignIns {

  private static final Logger LOG = Logger.getLogger(UpstreamSignIns.class.getName());

  /** The path prefix of the start endpoint. */
  public static final String START_PATH = "/login/oauth2/start/";

  /** The path prefix of the callback endpoint. */
  public static final String CALLBACK_PATH = "/login/oauth2/callback/";

  /** The cookie binding a started sign-in to its browser. */
  public static final String BROWSER_COOKIE = "__Host-portcullis-upstream";

  static final String UNAVAILABLE = "unavailable";
  static final String FAILED = "failed";

  @Inject Settings settings;
  @Inject UpstreamSettings upstreamSettings;
  @Inject ProviderDiscovery discovery;
  @Inject SignInAttempts attempts;
  @Inject CodeExchange exchange;
  @Inject IdTokens idTokens;
  @Inject GitHubAccounts gitHub;
  @Inject UpstreamAccounts accounts;
  @Inject SessionService sessions;
  @Inject AuditLog audit;

  /**
   * Starts a sign-in through {@code provider}: the location of its authorization endpoint with this
   * attempt's parameters, or of the sign-in page with the error when it cannot be reached.
   *
   * @param next a local target already checked by the caller, or null
   */
  public String beginSignIn(
      UpstreamProvider provider,
      String next,
      HttpServletRequest request,
      HttpServletResponse response) {
    try {
      return authorizationRedirect(provider, next, null, null, request, response);
    } catch (ProviderUnavailableException | SignInRefusedException e) {
      recordFailure(provider, e, null, ClientInfo.of(request));
      return signInFailure(provider, next, reasonOf(e));
    }
  }

  /**
   * Begins linking {@code provider} to the signed-in user of {@code session} (the account page's
   * "Link" button, a Faces postback, hence same-origin and CSRF-checked): stores the attempt, sets
   * the browser-binding cookie on {@code response} and returns where to send the browser (the
   * provider's authorization endpoint), or, when the provider cannot be reached, {@code
   * /account?upstream=<id>&error=unavailable} (relative to the context root).
   */
  public URI beginLink(
      UpstreamProvider provider,
      SessionRecord session,
      HttpServletRequest request,
      HttpServletResponse response) {
    try {
      return URI.create(
          authorizationRedirect(provider, null, session.userId(), session.id(), request, response));
    } catch (ProviderUnavailableException | SignInRefusedException e) {
      recordFailure(provider, e, session.userId(), ClientInfo.of(request));
      return URI.create(linkFailure(provider, reasonOf(e)));
    }
  }

  /** The CSP sources of the providers' authorization endpoints known so far (for form-action). */
  public Set<String> authorizationOrigins(Iterable<UpstreamProvider> providers) {
    var origins = new java.util.LinkedHashSet<String>();
    for (var provider : providers) {
      origins.add(origin(URI.create(provider.issuer())));
      discovery.known(provider).ifPresent(e -> origins.add(origin(e.authorization())));
    }
    return origins;
  }

  /**
   * Completes the sign-in or link the callback request answers; returns where to send the browser.
   * On success of a sign-in, the session cookie is set on {@code response} already.
   */
  public String complete(
      UpstreamProvider provider, HttpServletRequest request, HttpServletResponse response) {
    var client = ClientInfo.of(request);
    var attempt = attempts.redeem(single(request, "state"));
    if (attempt.isEmpty()) {
      recordFailure(provider, new SignInRefusedException("state_unknown"), null, client);
      return signInFailure(provider, null, FAILED);
    }
    var started = attempt.get();
    boolean linking = started.linkUserId() != null;
    try {
      if (linking) {
        // before the provider is called: a link belongs to the session that started it
        requireSameSession(started, request);
      }
      var identity = identify(provider, started, request);
      if (linking) {
        accounts.link(started.linkUserId(), provider, identity, client);
        audit.record(
            AuditRecord.success(
                    AuditEventType.UPSTREAM_SIGN_IN, started.linkUserId().toString(), client)
                .withDetail("provider=" + provider.id() + " purpose=link"));
        return "/account?linked=" + provider.id();
      }
      UUID userId = accounts.signIn(provider, identity, client);
      var session = sessions.start(userId, client, provider.authMethod());
      if (request.getSession(false) != null) {
        request.changeSessionId();
      }
      SessionCookies.set(response, session.cookieValue());
      clearBrowserCookie(response);
      audit.record(
          AuditRecord.success(AuditEventType.UPSTREAM_SIGN_IN, userId.toString(), client)
              .withDetail("provider=" + provider.id() + " sid=" + session.session().id()));
      return started.nextTarget() == null ? "/account" : started.nextTarget();
    } catch (RuntimeException e) {
      if (!(e instanceof ProviderUnavailableException || e instanceof SignInRefusedException)) {
        // never a 500 or a half-done sign-in: the browser sees the generic failure
        LOG.log(Level.WARNING, "Upstream sign-in through " + provider.id() + " failed", e);
      }
      recordFailure(provider, e, started.linkUserId(), client);
      if (linking) {
        return linkFailure(
            provider,
            e instanceof SignInRefusedException r && r.reason().equals(UpstreamAccounts.TAKEN)
                ? UpstreamAccounts.TAKEN
                : reasonOf(e));
      }
      return signInFailure(provider, started.nextTarget(), reasonOf(e));
    }
  }

  private UpstreamIdentity identify(
      UpstreamProvider provider, SignInAttempt started, HttpServletRequest request) {
    if (!started.providerId().equals(provider.id())) {
      throw new SignInRefusedException("state_of_other_provider");
    }
    String binding = cookie(request, BROWSER_COOKIE);
    if (binding == null
        || !MessageDigest.isEqual(
            OpaqueTokens.sha256(binding).getBytes(StandardCharsets.US_ASCII),
            started.browserHash().getBytes(StandardCharsets.US_ASCII))) {
      throw new SignInRefusedException("other_browser");
    }
    String error = single(request, "error");
    if (error != null) {
      throw new SignInRefusedException("provider_error_" + UpstreamErrors.code(error));
    }
    var endpoints = discovery.endpoints(provider);
    String iss = single(request, "iss");
    if (iss != null ? !iss.equals(provider.issuer()) : endpoints.issParameterRequired()) {
      throw new SignInRefusedException("iss_parameter_mismatch");
    }
    String code = single(request, "code");
    if (code == null || code.isEmpty() || code.length() > 2048) {
      throw new SignInRefusedException("code_missing");
    }
    var tokens =
        exchange.redeem(provider, endpoints, code, started.redirectUri(), started.codeVerifier());
    if (provider.kind() == ProviderKind.GITHUB) {
      return gitHub.identity(provider, endpoints, tokens.accessToken());
    }
    return idTokens.verify(provider, endpoints, tokens.idToken(), started.nonce());
  }

  private void requireSameSession(SignInAttempt started, HttpServletRequest request) {
    var current =
        SessionCookies.read(request)
            .flatMap(sessions::validate)
            .filter(s -> s.id().equals(started.linkSessionId()))
            .filter(s -> s.userId().equals(started.linkUserId()));
    if (current.isEmpty()) {
      throw new SignInRefusedException("link_session_ended");
    }
  }

  private String authorizationRedirect(
      UpstreamProvider provider,
      String next,
      UUID linkUserId,
      UUID linkSessionId,
      HttpServletRequest request,
      HttpServletResponse response) {
    var endpoints = discovery.endpoints(provider);
    String binding =
        Optional.ofNullable(cookie(request, BROWSER_COOKIE))
            .filter(v -> v.length() == 43 && v.chars().allMatch(UpstreamSignIns::base64url))
            .orElseGet(OpaqueTokens::random);
    String redirectUri = redirectUri(provider);
    var started = attempts.start(provider, binding, redirectUri, next, linkUserId, linkSessionId);
    response.addHeader(
        "Set-Cookie",
        BROWSER_COOKIE
            + "="
            + binding
            + "; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age="
            + upstreamSettings.attemptTtl().toSeconds());
    Map<String, String> query = new LinkedHashMap<>();
    query.put("response_type", "code");
    query.put("client_id", provider.clientId());
    query.put("redirect_uri", redirectUri);
    query.put("scope", String.join(" ", provider.scopes()));
    query.put("state", started.state());
    if (provider.kind().isOpenId()) {
      query.put("nonce", started.nonce());
    }
    query.put("code_challenge", challenge(started.codeVerifier()));
    query.put("code_challenge_method", "S256");
    String base = endpoints.authorization().toString();
    return base
        + (base.contains("?") ? "&" : "?")
        + query.entrySet().stream()
            .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
            .collect(Collectors.joining("&"));
  }

  /** {@code <issuer>/login/oauth2/callback/<id>}: the redirect URI to register at the provider. */
  public String redirectUri(UpstreamProvider provider) {
    String issuer = settings.issuer();
    return (issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer)
        + CALLBACK_PATH
        + provider.id();
  }

  /**
   * Audits a failed sign-in: reason {@code PROVIDER_UNAVAILABLE} or the failed check in upper case
   * ({@code ID_TOKEN_NONCE_MISMATCH}, {@code PROVIDER_ERROR_ACCESS_DENIED}…), the detail naming the
   * provider and what went wrong.
   */
  private void recordFailure(
      UpstreamProvider provider, RuntimeException e, UUID userId, ClientInfo client) {
    String what =
        e instanceof SignInRefusedException refused
            ? refused.reason()
            : e instanceof ProviderUnavailableException ? e.getMessage() : "internal_error";
    String reason =
        e instanceof ProviderUnavailableException
            ? "PROVIDER_UNAVAILABLE"
            : truncate(what.toUpperCase(Locale.ROOT), 64);
    audit.record(
        AuditRecord.failure(
                AuditEventType.UPSTREAM_SIGN_IN,
                reason,
                userId == null ? null : userId.toString(),
                client)
            .withDetail("provider=" + provider.id() + " error=" + what));
  }

  private static String reasonOf(RuntimeException e) {
    return e instanceof ProviderUnavailableException ? UNAVAILABLE : FAILED;
  }

  private static String signInFailure(UpstreamProvider provider, String next, String reason) {
    return "/login?upstream="
        + provider.id()
        + "&error="
        + reason
        + (next == null ? "" : "&next=" + encode(next));
  }

  private static String linkFailure(UpstreamProvider provider, String reason) {
    return "/account?upstream=" + provider.id() + "&error=" + reason;
  }

  private static void clearBrowserCookie(HttpServletResponse response) {
    response.addHeader(
        "Set-Cookie", BROWSER_COOKIE + "=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0");
  }

  /** The one value of a query parameter; null when absent or repeated. */
  private static String single(HttpServletRequest request, String name) {
    String[] values = request.getParameterValues(name);
    return values == null || values.length != 1 ? null : values[0];
  }

  private static String cookie(HttpServletRequest request, String name) {
    var cookies = request.getCookies();
    if (cookies == null) {
      return null;
    }
    String found = null;
    for (var c : cookies) {
      if (name.equals(c.getName())) {
        if (found != null) {
          return null;
        }
        found = c.getValue();
      }
    }
    return found;
  }

  static String challenge(String verifier) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String origin(URI uri) {
    return uri.getScheme().toLowerCase(Locale.ROOT)
        + "://"
        + uri.getHost()
        + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
  }

  private static boolean base64url(int c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '_';
  }

  private static String truncate(String value, int max) {
    return value.length() <= max ? value : value.substring(0, max);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
