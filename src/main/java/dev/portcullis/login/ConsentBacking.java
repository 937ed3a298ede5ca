package dev.portcullis.login;

import dev.portcullis.caller.Caller;
import dev.portcullis.oauth.client.ClientRegistry;
import dev.portcullis.oauth.client.RegisteredClient;
import dev.portcullis.oauth.consent.Consents;
import dev.portcullis.web.ClientInfo;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Backs {@code /consent}, where a signed-in user approves or denies the scopes an OAuth client asks
 * for (SPEC 3.5, 3.6). The authorization endpoint sends the browser here as {@code
 * /consent?continue=<url-encoded /oauth2/authorize?...>}; the page shows the client's name and the
 * requested scopes the client registered, each described ({@link ScopeDescriptions}), with Approve
 * and Deny.
 *
 * <p>Approve records those scopes ({@link Consents#grant}) and answers 303 to the {@code continue}
 * target; Deny answers 303 to it with {@code &consent=denied} appended. A {@code continue} that is
 * not a local {@code /oauth2/authorize?...} request ({@link AuthorizeContinuation}), names no
 * registered client, or a {@code redirect_uri} that client did not register, gets an error message
 * with status 400, no buttons and never a redirect.
 *
 * <p>Everything is read again from the request on every hit: the {@code continue} value travels in
 * the form as a plain hidden field and is judged anew at the postback, so what is approved is what
 * that request shows, never more. The buttons are Faces postbacks: the view state and the page
 * guard's same-origin check keep other sites from submitting them; the page's {@code form-action}
 * admits the client's redirect URI, where the authorization ends ({@link AuthorizationRedirects}).
 * The page is never framed ({@code X-Frame-Options: DENY}, CSP {@code frame-ancestors 'none'}) or
 * cached ({@code Cache-Control: no-store}), both set for every page by the security-headers filter.
 * The page serves browser sessions only ({@link PageGuardFilter}), and each action checks again
 * ({@link Caller#browserSession}).
 */
@Named("consent")
@RequestScoped
public class ConsentBacking {

  static final String INVALID_REQUEST =
      "This sign-in request is not valid. Go back to the application and try again.";
  static final String UNKNOWN_CLIENT =
      "The application asking for access is not registered here. Go back to it and try again.";

  /** The request parameter (and hidden form field) naming the authorization request. */
  static final String CONTINUE = "continue";

  @Inject FacesContext faces;
  @Inject ClientRegistry clients;
  @Inject Consents consents;
  @Inject AuthorizationRedirects redirects;

  private Caller caller;
  private String target;
  private Prepared prepared;

  /** One scope as the page lists it. */
  public record ScopeLine(String scope, String description) {}

  /**
   * What the page shows for a {@code continue} value: an error, or the request, its client's name
   * and the scopes to approve (requested and registered, in the order requested).
   */
  record Prepared(
      String error, AuthorizeContinuation request, String clientName, List<String> scopes) {

    static Prepared failed(String error) {
      return new Prepared(error, null, null, List.of());
    }

    boolean ok() {
      return error == null;
    }
  }

  /** Judges a {@code continue} value, looking the client up with {@code find}. */
  static Prepared prepare(String continueValue, Function<String, Optional<RegisteredClient>> find) {
    var request = AuthorizeContinuation.parse(continueValue);
    if (request.isEmpty()) {
      return Prepared.failed(INVALID_REQUEST);
    }
    var client = find.apply(request.get().clientId());
    if (client.isEmpty()) {
      return Prepared.failed(UNKNOWN_CLIENT);
    }
    String redirectUri = request.get().redirectUri();
    if (redirectUri != null && !client.get().allowsRedirect(redirectUri)) {
      // the authorization endpoint refuses it without redirecting; nothing to approve here
      return Prepared.failed(INVALID_REQUEST);
    }
    return new Prepared(
        null, request.get(), displayName(client.get()), shownScopes(request.get(), client.get()));
  }

  /** The requested scopes the client registered, in the order requested. */
  static List<String> shownScopes(AuthorizeContinuation request, RegisteredClient client) {
    return request.requestedScopes().stream().filter(client.scopes()::contains).toList();
  }

  static String displayName(RegisteredClient client) {
    return client.name() == null || client.name().isBlank() ? client.clientId() : client.name();
  }

  @PostConstruct
  void load() {
    var request = request();
    caller = Caller.browserSession(request).orElse(null);
    target = request.getParameter(CONTINUE);
    prepared = prepare(target, clients::find);
    if (prepared.ok()) {
      redirects.allowFormTarget(target, response());
    }
  }

  /** Runs before the page renders (not on postbacks): an unusable request is a 400. */
  public void check() {
    if (!prepared.ok()) {
      response().setStatus(HttpServletResponse.SC_BAD_REQUEST);
    }
  }

  /** Records the shown scopes as approved, then 303 to the authorization request. */
  public void approve() {
    if (!signedIn() || !prepared.ok()) {
      return;
    }
    consents.grant(
        caller.userId(),
        prepared.request().clientId(),
        new LinkedHashSet<>(prepared.scopes()),
        ClientInfo.of(request()));
    seeOther(prepared.request().target());
  }

  /** 303 to the authorization request with {@code consent=denied}; nothing is recorded. */
  public void deny() {
    if (!signedIn() || !prepared.ok()) {
      return;
    }
    seeOther(prepared.request().denied());
  }

  public String getError() {
    return prepared.error();
  }

  public boolean isReady() {
    return prepared.ok();
  }

  public String getClientName() {
    return prepared.clientName();
  }

  public List<ScopeLine> getScopes() {
    return prepared.scopes().stream()
        .map(s -> new ScopeLine(s, ScopeDescriptions.describe(s)))
        .toList();
  }

  /** The {@code continue} value as received (rendered escaped into the hidden field). */
  public String getTarget() {
    return target;
  }

  public String getUsername() {
    return caller == null ? "" : caller.username();
  }

  /**
   * Whether a signed-in browser session makes this request, checked by each action whatever stood
   * in front of it; anyone else is sent to the login page (back here afterwards) and nothing is
   * done.
   */
  private boolean signedIn() {
    if (caller != null && Caller.browserSession(request()).isPresent()) {
      return true;
    }
    String page =
        target == null
            ? "/consent"
            : "/consent?continue=" + URLEncoder.encode(target, StandardCharsets.UTF_8);
    try {
      faces.getExternalContext().redirect(PageGuardFilter.signInLocation(request(), page));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return false;
  }

  private void seeOther(String localTarget) {
    var response = response();
    response.setStatus(HttpServletResponse.SC_SEE_OTHER);
    response.setHeader("Location", request().getContextPath() + localTarget);
    faces.responseComplete();
  }

  private HttpServletRequest request() {
    return (HttpServletRequest) faces.getExternalContext().getRequest();
  }

  private HttpServletResponse response() {
    return (HttpServletResponse) faces.getExternalContext().getResponse();
  }
}
