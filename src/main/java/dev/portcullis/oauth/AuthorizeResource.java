package dev.portcullis.oauth;

import dev.portcullis.audit.AuditEventType;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.caller.Caller;
import dev.portcullis.config.Settings;
import dev.portcullis.oauth.consent.Consents;
import dev.portcullis.session.SessionRecord;
import dev.portcullis.session.SessionService;
import dev.portcullis.web.ClientInfo;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code GET|POST /oauth2/authorize}: the authorization code flow's front channel (RFC 6749 4.1,
 * OpenID Connect Core 3.1.2).
 *
 * <p>Decision table, in order:
 *
 * <ol>
 *   <li>invalid client or redirect URI → a 400 page, never a redirect ({@link
 *       AuthorizationRequests});
 *   <li>any other invalid parameter → the error to the redirect URI;
 *   <li>the consent page answered "deny" → {@code access_denied};
 *   <li>no browser session, {@code prompt=login}, or a sign-in older than {@code max_age} → {@code
 *       prompt=none} gives {@code login_required}, otherwise the sign-in page, which comes back
 *       here (without {@code prompt=login} and {@code max_age}, which the fresh sign-in satisfies),
 *       its username field filled with {@code login_hint};
 *   <li>the client requires consent and the user has not given it for these scopes, or {@code
 *       prompt=consent} → {@code prompt=none} gives {@code consent_required}, otherwise the consent
 *       page, which comes back here (without {@code prompt=consent});
 *   <li>a code, bound to the client, redirect URI, PKCE challenge, nonce and browser session.
 * </ol>
 *
 * Every response to the redirect URI carries {@code state} and {@code iss} (RFC 9207). {@code
 * prompt=none} never shows a page. The session is the browser's own {@code __Host-portcullis}
 * cookie ({@link Caller#browserSession}); bearer tokens and API keys count as no session.
 */
@Path("authorize")
@RequestScoped
public class AuthorizeResource {

  @Inject AuthorizationRequests requests;
  @Inject AuthorizationCodes codes;
  @Inject SessionService sessions;
  @Inject Consents consents;
  @Inject Settings settings;
  @Inject AuditLog audit;
  @Inject Clock clock;
  @Context HttpServletRequest request;

  @GET
  public Response get(@Context UriInfo uri) {
    return authorize(uri.getQueryParameters());
  }

  @POST
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response post(MultivaluedMap<String, String> form) {
    return authorize(form);
  }

  private Response authorize(Map<String, List<String>> params) {
    var info = ClientInfo.of(request);
    AuthorizationRequest authorization;
    try {
      authorization = requests.validate(params);
    } catch (AuthorizationRequests.InvalidRedirect e) {
      audit.record(
          AuditRecord.failure(AuditEventType.AUTHORIZATION, "INVALID_REDIRECT", null, info)
              .withDetail(e.getMessage()));
      return ErrorPage.badRequest(e.getMessage());
    } catch (AuthorizationRequests.RedirectedError e) {
      audit.record(
          AuditRecord.failure(AuditEventType.AUTHORIZATION, e.error(), null, info)
              .withDetail(e.getMessage()));
      return redirect(e.redirectUri(), errorParameters(e.error(), e.getMessage(), e.state()));
    }
    var client = authorization.client();
    if (authorization.consentDenied()) {
      return refuse(authorization, "access_denied", "The user denied the request", info);
    }
    Optional<SessionRecord> session =
        Caller.browserSession(request)
            .flatMap(caller -> sessions.find(java.util.UUID.fromString(caller.sessionId())));
    Instant now = clock.instant();
    boolean signInNeeded =
        session.isEmpty()
            || authorization.prompt().contains("login")
            || (authorization.maxAge() != null
                && session.get().createdAt().plusSeconds(authorization.maxAge()).isBefore(now));
    if (signInNeeded) {
      if (authorization.prompt().contains("none")) {
        return refuse(authorization, "login_required", "The user is not signed in", info);
      }
      var again = new LinkedHashMap<>(params);
      again.remove("max_age");
      withoutPrompt(again, "login");
      var hint = params.getOrDefault("login_hint", List.of());
      return seeOther(
          "/login?next="
              + encode(authorizePath(again))
              + (hint.size() == 1 && hint.get(0).length() <= 256
                  ? "&login_hint=" + encode(hint.get(0))
                  : ""));
    }
    var userId = session.get().userId();
    boolean consentNeeded =
        client.consentRequired()
            && (authorization.prompt().contains("consent")
                || !consents.covers(userId, client.clientId(), authorization.scopes()));
    if (consentNeeded) {
      if (authorization.prompt().contains("none")) {
        return refuse(authorization, "consent_required", "The user has not consented", info);
      }
      var again = new LinkedHashMap<>(params);
      withoutPrompt(again, "consent");
      return seeOther("/consent?continue=" + encode(authorizePath(again)));
    }
    if (!client.consentRequired()
        && !consents.covers(userId, client.clientId(), authorization.scopes())) {
      // recorded so that the account page lists the app and the user can revoke it
      consents.grant(userId, client.clientId(), authorization.scopes(), info);
    }
    String code = codes.issue(authorization, userId, session.get().id(), session.get().createdAt());
    audit.record(
        AuditRecord.success(AuditEventType.AUTHORIZATION, userId.toString(), info)
            .withDetail("client_id=" + client.clientId()));
    var response = new LinkedHashMap<String, String>();
    response.put("code", code);
    if (authorization.state() != null) {
      response.put("state", authorization.state());
    }
    response.put("iss", settings.issuer());
    return redirect(authorization.redirectUri(), response);
  }

  private Response refuse(
      AuthorizationRequest authorization, String error, String description, ClientInfo info) {
    audit.record(
        AuditRecord.failure(AuditEventType.AUTHORIZATION, error, null, info)
            .withDetail("client_id=" + authorization.client().clientId()));
    return redirect(
        authorization.redirectUri(), errorParameters(error, description, authorization.state()));
  }

  private Map<String, String> errorParameters(String error, String description, String state) {
    var parameters = new LinkedHashMap<String, String>();
    parameters.put("error", error);
    parameters.put("error_description", description);
    if (state != null) {
      parameters.put("state", state);
    }
    parameters.put("iss", settings.issuer());
    return parameters;
  }

  /** Removes one value from {@code prompt}, dropping the parameter when none is left. */
  private static void withoutPrompt(Map<String, List<String>> params, String value) {
    var prompt = params.get("prompt");
    if (prompt == null || prompt.isEmpty()) {
      return;
    }
    var left =
        Set.of(prompt.get(0).split(" ")).stream()
            .filter(p -> !p.equals(value) && !p.isEmpty())
            .sorted()
            .collect(Collectors.joining(" "));
    if (left.isEmpty()) {
      params.remove("prompt");
    } else {
      params.put("prompt", List.of(left));
    }
  }

  /**
   * {@code /oauth2/authorize?…} with {@code params}, a local path for the pages to come back to.
   */
  static String authorizePath(Map<String, List<String>> params) {
    var pairs = new ArrayList<String>();
    params.forEach(
        (name, values) -> values.forEach(value -> pairs.add(encode(name) + "=" + encode(value))));
    return "/oauth2/authorize?" + String.join("&", pairs);
  }

  private Response seeOther(String localPath) {
    return Response.status(Response.Status.SEE_OTHER)
        .header("Location", request.getContextPath() + localPath)
        .header("Cache-Control", "no-store")
        .build();
  }

  /** A 303 to the client's verified redirect URI with {@code parameters} added to its query. */
  static Response redirect(String redirectUri, Map<String, String> parameters) {
    var location = new StringBuilder(redirectUri);
    char separator = redirectUri.indexOf('?') >= 0 ? '&' : '?';
    for (var entry : parameters.entrySet()) {
      location
          .append(separator)
          .append(encode(entry.getKey()))
          .append('=')
          .append(encode(entry.getValue()));
      separator = '&';
    }
    return Response.status(Response.Status.SEE_OTHER)
        .header("Location", location.toString())
        .header("Cache-Control", "no-store")
        .build();
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
