package dev.portcullis.oauth;

import dev.portcullis.audit.AuditEventType;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.caller.Caller;
import dev.portcullis.oauth.client.ClientRegistry;
import dev.portcullis.oauth.client.RegisteredClient;
import dev.portcullis.session.CsrfProtection;
import dev.portcullis.session.SessionCookies;
import dev.portcullis.session.SessionService;
import dev.portcullis.token.SignedTokens;
import dev.portcullis.web.ClientInfo;
import dev.portcullis.web.SecurityHeadersFilter;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;

/**
 * {@code GET|POST /oauth2/logout}: OpenID Connect RP-Initiated Logout 1.0.
 *
 * <ul>
 *   <li>{@code id_token_hint}, when given, must be an ID token this server issued (expired is
 *       fine); anything else is a 400 page. Its {@code aud} names the client; a {@code client_id}
 *       parameter must agree.
 *   <li>{@code post_logout_redirect_uri} is honoured only when it is one the identified client
 *       registered, compared exactly; otherwise a 400 page — never a redirect (no open redirect).
 *   <li>With a valid hint the browser session ends at once if it is the hint's user's, without a
 *       confirmation page (SPEC 3.6); without a hint the user is asked first: a page whose form
 *       posts back here with the session's CSRF token, from this site only.
 *   <li>Then the browser goes to the verified {@code post_logout_redirect_uri} (with {@code
 *       state}), or sees a "signed out" page.
 * </ul>
 */
@Path("logout")
@RequestScoped
public class LogoutResource {

  @Inject SignedTokens signed;
  @Inject ClientRegistry clients;
  @Inject SessionService sessions;
  @Inject AuditLog audit;
  @Context HttpServletRequest request;
  @Context HttpServletResponse response;

  @GET
  public Response get(@Context UriInfo uri) {
    return logout(uri.getQueryParameters(), false);
  }

  @POST
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response post(MultivaluedMap<String, String> form) {
    return logout(form, "yes".equals(form.getFirst("confirm")));
  }

  private Response logout(Map<String, List<String>> params, boolean confirmed) {
    for (var values : params.values()) {
      if (values.size() > 1) {
        return ErrorPage.badRequest("A parameter is repeated.");
      }
    }
    String hint = single(params, "id_token_hint");
    Optional<JwtClaims> claims = Optional.empty();
    if (hint != null) {
      claims = signed.verifyIdTokenHint(hint);
      if (claims.isEmpty()) {
        return ErrorPage.badRequest("The ID token hint is not valid.");
      }
    }
    String clientId = single(params, "client_id");
    try {
      if (claims.isPresent()) {
        var audience = claims.get().getAudience();
        if (audience.size() != 1 || (clientId != null && !clientId.equals(audience.get(0)))) {
          return ErrorPage.badRequest("The ID token hint is not for this client.");
        }
        clientId = audience.get(0);
      }
    } catch (MalformedClaimException e) {
      return ErrorPage.badRequest("The ID token hint is not valid.");
    }
    Optional<RegisteredClient> client =
        clientId == null ? Optional.empty() : clients.find(clientId);
    String target = single(params, "post_logout_redirect_uri");
    if (target != null && (client.isEmpty() || !client.get().allowsPostLogoutRedirect(target))) {
      return ErrorPage.badRequest("The post-logout redirect URI is not registered for the client.");
    }
    var caller = Caller.browserSession(request);
    if (claims.isEmpty() && !confirmed) {
      if (caller.isEmpty()) {
        return done(target, single(params, "state"));
      }
      return confirmationPage(params, caller.get(), target);
    }
    if (confirmed && !confirmationIsGenuine(caller)) {
      return ErrorPage.badRequest("Sign out from this site's own page.");
    }
    var info = ClientInfo.of(request);
    if (caller.isPresent() && belongsToHint(caller.get(), claims)) {
      SessionCookies.read(request).ifPresent(cookie -> sessions.endByCookie(cookie, info));
      audit.record(
          AuditRecord.success(AuditEventType.LOGOUT, caller.get().userId().toString(), info)
              .withDetail(
                  "sid="
                      + caller.get().sessionId()
                      + client.map(c -> " client_id=" + c.clientId()).orElse("")));
    }
    var response = done(target, single(params, "state"));
    if (caller.isPresent() && belongsToHint(caller.get(), claims)) {
      return Response.fromResponse(response)
          .header("Set-Cookie", SessionCookies.clearing())
          .build();
    }
    return response;
  }

  private static boolean belongsToHint(Caller caller, Optional<JwtClaims> claims) {
    try {
      return claims.isEmpty() || caller.userId().toString().equals(claims.get().getSubject());
    } catch (MalformedClaimException e) {
      return false;
    }
  }

  private boolean confirmationIsGenuine(Optional<Caller> caller) {
    if (!CsrfProtection.sameOrigin(request)) {
      return false;
    }
    if (caller.isEmpty()) {
      return true;
    }
    return sessions
        .find(UUID.fromString(caller.get().sessionId()))
        .map(s -> CsrfProtection.passes(request, request.getParameter("csrf"), s.csrfToken()))
        .orElse(false);
  }

  /**
   * The page asking whether to sign out. Its form posts here and is answered with a redirect to the
   * verified {@code target}, whose origin the page's CSP {@code form-action} must therefore admit
   * (Chromium applies {@code form-action} to the redirects after a form post too).
   */
  private Response confirmationPage(
      Map<String, List<String>> params, Caller caller, String target) {
    if (target != null) {
      try {
        var uri = java.net.URI.create(target);
        if (uri.getScheme() != null && uri.getRawAuthority() != null) {
          response.setHeader(
              "Content-Security-Policy",
              SecurityHeadersFilter.policyWithFormTargets(
                  List.of(uri.getScheme() + "://" + uri.getRawAuthority())));
        }
      } catch (IllegalArgumentException e) {
        // not expressible as a CSP source: the page keeps form-action 'self'
      }
    }
    String csrf =
        sessions.find(UUID.fromString(caller.sessionId())).map(s -> s.csrfToken()).orElse("");
    var hidden = new StringBuilder();
    for (String name : List.of("client_id", "post_logout_redirect_uri", "state")) {
      String value = single(params, name);
      if (value != null) {
        hidden
            .append("<input type=\"hidden\" name=\"")
            .append(name)
            .append("\" value=\"")
            .append(ErrorPage.escape(value))
            .append("\">");
      }
    }
    String html =
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign out ·"
            + " Portcullis</title><link rel=\"stylesheet\" href=\"/static/portcullis.css\"></head>"
            + "<body><main class=\"card narrow\"><h1>Sign out?</h1><p>You are signed in as "
            + ErrorPage.escape(caller.username())
            + ".</p><form method=\"post\" action=\""
            + ErrorPage.escape(request.getContextPath())
            + "/oauth2/logout\">"
            + hidden
            + "<input type=\"hidden\" name=\"csrf\" value=\""
            + ErrorPage.escape(csrf)
            + "\"><input type=\"hidden\" name=\"confirm\" value=\"yes\">"
            + "<button id=\"confirm-logout\" class=\"primary\" type=\"submit\">Sign out</button>"
            + "</form></main></body></html>";
    return Response.ok(html, MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
        .header("Cache-Control", "no-store")
        .build();
  }

  private Response done(String target, String state) {
    if (target != null) {
      var parameters = new LinkedHashMap<String, String>();
      if (state != null) {
        parameters.put("state", state);
      }
      return AuthorizeResource.redirect(target, parameters);
    }
    return Response.ok(
            ErrorPage.page("Signed out", "You are signed out."),
            MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
        .header("Cache-Control", "no-store")
        .build();
  }

  private static String single(Map<String, List<String>> params, String name) {
    var values = params.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
