package dev.portcullis.oauth;

import dev.portcullis.oauth.client.ClientRegistry;
import dev.portcullis.oauth.client.RegisteredClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates authorization requests in the order that decides where an error may go (RFC 6749
 * 4.1.2.1, RFC 9700 4.1): first the client and the redirect URI — when either is missing, unknown
 * or not registered, the error is shown to the user and the browser is <em>never</em> redirected
 * ({@link InvalidRedirect}); only then everything else, whose errors go back to the client's
 * verified redirect URI ({@link RedirectedError}).
 *
 * <p>Rules beyond the RFCs' MUSTs, each a decision:
 *
 * <ul>
 *   <li>every parameter at most once (RFC 6749 3.1), else {@code invalid_request};
 *   <li>{@code response_type=code} only; {@code response_mode} only {@code query}; {@code request}
 *       and {@code request_uri} (JAR) are not supported;
 *   <li>PKCE: S256 only ({@code plain} and a method without a challenge are refused); required for
 *       public clients and for confidential clients unless an admin exempted one, which must then
 *       send an OpenID {@code nonce} (SPEC 3.6);
 *   <li>a missing {@code redirect_uri} is allowed only for a non-OpenID request of a client with
 *       exactly one registered (RFC 6749 3.1.2.3; OpenID requires it);
 *   <li>a missing {@code scope} means the client's registered scopes minus {@code offline_access}.
 * </ul>
 */
@ApplicationScoped
public class AuthorizationRequests {

  private static final Pattern S256_CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final Set<String> PROMPTS = Set.of("none", "login", "consent", "select_account");

  @Inject ClientRegistry clients;

  /** The client or redirect URI is unusable: show {@code message}, never redirect. */
  public static final class InvalidRedirect extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidRedirect(String message) {
      super(message, null, false, false);
    }
  }

  /** An error to send to the client's verified redirect URI. */
  public static final class RedirectedError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String redirectUri;
    private final String state;
    private final String error;

    RedirectedError(String redirectUri, String state, String error, String description) {
      super(description, null, false, false);
      this.redirectUri = redirectUri;
      this.state = state;
      this.error = error;
    }

    public String redirectUri() {
      return redirectUri;
    }

    public String state() {
      return state;
    }

    public String error() {
      return error;
    }
  }

  /** Validates {@code params} (query or form parameters of {@code /oauth2/authorize}). */
  public AuthorizationRequest validate(Map<String, List<String>> params) {
    String clientId = single(params, "client_id");
    var client =
        clients
            .find(clientId)
            .orElseThrow(
                () -> new InvalidRedirect("The client is unknown or the request names none."));
    String redirectUri = redirectUri(client, params);
    String state = single(params, "state");
    for (var entry : params.entrySet()) {
      if (entry.getValue().size() > 1) {
        throw error(redirectUri, state, "invalid_request", "Parameter repeated: " + entry.getKey());
      }
    }
    if (state != null && state.length() > 2048) {
      throw error(redirectUri, null, "invalid_request", "state is too long");
    }
    if (params.containsKey("request")) {
      throw error(redirectUri, state, "request_not_supported", "Request objects are not supported");
    }
    if (params.containsKey("request_uri")) {
      throw error(redirectUri, state, "request_uri_not_supported", "request_uri is not supported");
    }
    String responseType = single(params, "response_type");
    if (responseType == null) {
      throw error(redirectUri, state, "invalid_request", "response_type is required");
    }
    if (!"code".equals(responseType)) {
      throw error(
          redirectUri,
          state,
          "unsupported_response_type",
          "Only the authorization code flow (response_type=code) is supported");
    }
    String responseMode = single(params, "response_mode");
    if (responseMode != null && !"query".equals(responseMode)) {
      throw error(redirectUri, state, "invalid_request", "Only response_mode=query is supported");
    }
    if (!client.allowsGrant(RegisteredClient.AUTHORIZATION_CODE)) {
      throw error(
          redirectUri,
          state,
          "unauthorized_client",
          "The client is not registered for the authorization code grant");
    }
    var scopes = scopes(client, single(params, "scope"), redirectUri, state);
    String nonce = single(params, "nonce");
    if (nonce != null && (nonce.isEmpty() || nonce.length() > 512)) {
      throw error(redirectUri, state, "invalid_request", "nonce must have 1 to 512 characters");
    }
    String challenge = challenge(client, params, scopes, nonce, redirectUri, state);
    var prompt = prompt(single(params, "prompt"), redirectUri, state);
    Long maxAge = maxAge(single(params, "max_age"), redirectUri, state);
    boolean denied = "denied".equals(single(params, "consent"));
    return new AuthorizationRequest(
        client, redirectUri, state, nonce, scopes, challenge, prompt, maxAge, denied);
  }

  private static String redirectUri(RegisteredClient client, Map<String, List<String>> params) {
    var values = params.getOrDefault("redirect_uri", List.of());
    if (values.size() > 1) {
      throw new InvalidRedirect("The redirect URI is given more than once.");
    }
    if (values.isEmpty()) {
      var scope = Scopes.parse(single(params, "scope"));
      if (client.redirectUris().size() == 1 && (scope == null || !scope.contains(Scopes.OPENID))) {
        return client.redirectUris().get(0);
      }
      throw new InvalidRedirect("The request names no redirect URI.");
    }
    String uri = values.get(0);
    if (!client.allowsRedirect(uri)) {
      throw new InvalidRedirect("The redirect URI is not registered for this client.");
    }
    return uri;
  }

  private static Set<String> scopes(
      RegisteredClient client, String value, String redirectUri, String state) {
    if (value == null) {
      var defaults = new java.util.LinkedHashSet<>(client.scopes());
      defaults.remove(Scopes.OFFLINE_ACCESS);
      return defaults;
    }
    var scopes = Scopes.parse(value);
    if (scopes == null || scopes.isEmpty()) {
      throw error(redirectUri, state, "invalid_scope", "The scope parameter is malformed");
    }
    if (!client.scopes().containsAll(scopes)) {
      throw error(
          redirectUri,
          state,
          "invalid_scope",
          "A requested scope is not registered for the client");
    }
    return scopes;
  }

  private static String challenge(
      RegisteredClient client,
      Map<String, List<String>> params,
      Set<String> scopes,
      String nonce,
      String redirectUri,
      String state) {
    String challenge = single(params, "code_challenge");
    String method = single(params, "code_challenge_method");
    if (challenge == null) {
      if (method != null) {
        throw error(
            redirectUri, state, "invalid_request", "code_challenge_method without code_challenge");
      }
      if (client.requirePkce() || client.isPublic()) {
        throw error(
            redirectUri, state, "invalid_request", "PKCE is required: send an S256 code_challenge");
      }
      if (!scopes.contains(Scopes.OPENID) || nonce == null) {
        throw error(
            redirectUri,
            state,
            "invalid_request",
            "A client exempt from PKCE must send an OpenID request with a nonce");
      }
      return null;
    }
    if (!"S256".equals(method)) {
      throw error(
          redirectUri,
          state,
          "invalid_request",
          "code_challenge_method must be S256 (plain is refused)");
    }
    if (!S256_CHALLENGE.matcher(challenge).matches()) {
      throw error(redirectUri, state, "invalid_request", "code_challenge is not an S256 challenge");
    }
    return challenge;
  }

  private static Set<String> prompt(String value, String redirectUri, String state) {
    if (value == null) {
      return Set.of();
    }
    var prompt = Scopes.parse(value);
    if (prompt == null || !PROMPTS.containsAll(prompt)) {
      throw error(redirectUri, state, "invalid_request", "prompt has an unknown value");
    }
    if (prompt.contains("none") && prompt.size() > 1) {
      throw error(redirectUri, state, "invalid_request", "prompt=none cannot be combined");
    }
    return Set.copyOf(prompt);
  }

  private static Long maxAge(String value, String redirectUri, String state) {
    if (value == null) {
      return null;
    }
    try {
      long maxAge = Long.parseLong(value);
      if (maxAge >= 0 && value.length() <= 10) {
        return maxAge;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw error(redirectUri, state, "invalid_request", "max_age must be a non-negative integer");
  }

  private static String single(Map<String, List<String>> params, String name) {
    var values = params.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private static RedirectedError error(
      String redirectUri, String state, String error, String description) {
    return new RedirectedError(redirectUri, state, error, description);
  }
}
