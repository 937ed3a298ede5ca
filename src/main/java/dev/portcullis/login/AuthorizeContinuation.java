package dev.portcullis.login;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code continue} target of the consent page: the authorization request the browser goes back
 * to once the user has approved or denied. It must be a local path starting exactly with {@value
 * #PREFIX}; anything else (an absolute or scheme-relative URL, another path, a backslash, a
 * fragment, whitespace, control or non-ASCII characters, a malformed escape, a repeated {@code
 * client_id}, {@code scope} or {@code redirect_uri}, a {@code consent} parameter already present)
 * is refused, and the page then shows an error and never redirects. Only the parameters the page
 * shows are read: the authorization endpoint checks the whole request again when the browser comes
 * back.
 *
 * <p>Usage: {@code AuthorizeContinuation.parse(request.getParameter("continue"))}, then {@link
 * #target()} after an approval and {@link #denied()} after a refusal. Immutable.
 *
 * @param target the local path and query to continue with, exactly as received
 * @param clientId the request's {@code client_id}, decoded
 * @param requestedScopes the request's {@code scope} values, decoded, in order, without repeats
 * @param redirectUri the request's {@code redirect_uri}, decoded, or null if it has none
 */
public record AuthorizeContinuation(
    String target, String clientId, List<String> requestedScopes, String redirectUri) {

  /** What every {@code continue} target starts with. */
  static final String PREFIX = "/oauth2/authorize?";

  /** The parameter appended when the user denies. */
  static final String DENIED = "consent=denied";

  public AuthorizeContinuation {
    requestedScopes = List.copyOf(requestedScopes);
  }

  /** {@code value} as a continuation, if it is one; empty for anything else. */
  public static Optional<AuthorizeContinuation> parse(String value) {
    if (value == null
        || value.length() <= PREFIX.length()
        || value.length() > SafeRedirects.MAX_LENGTH
        || !value.startsWith(PREFIX)
        || !value.chars().allMatch(AuthorizeContinuation::allowed)) {
      return Optional.empty();
    }
    try {
      var uri = new URI(value);
      if (uri.getScheme() != null
          || uri.getRawAuthority() != null
          || uri.getRawFragment() != null
          || !"/oauth2/authorize".equals(uri.getRawPath())
          || uri.getRawQuery() == null) {
        return Optional.empty();
      }
      return fromQuery(value, uri.getRawQuery());
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Where the browser goes after a refusal: the same request with {@value #DENIED} appended. */
  public String denied() {
    return target + (target.endsWith("&") ? "" : "&") + DENIED;
  }

  /** Printable ASCII but {@code \} and {@code #}: what a well-encoded local URL consists of. */
  private static boolean allowed(int c) {
    return c > 0x20 && c < 0x7f && c != '\\' && c != '#';
  }

  private static Optional<AuthorizeContinuation> fromQuery(String target, String rawQuery) {
    String clientId = null;
    String scope = null;
    String redirectUri = null;
    Set<String> seen = new HashSet<>();
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      switch (name) {
        case "consent" -> {
          return Optional.empty();
        }
        case "client_id", "scope", "redirect_uri" -> {
          // RFC 6749 3.1: a parameter is never sent more than once
          if (!seen.add(name)) {
            return Optional.empty();
          }
          switch (name) {
            case "client_id" -> clientId = value;
            case "scope" -> scope = value;
            default -> redirectUri = value;
          }
        }
        default -> {
          // checked by the authorization endpoint when the browser comes back
        }
      }
    }
    if (clientId == null
        || clientId.isEmpty()
        || clientId.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      return Optional.empty();
    }
    return Optional.of(new AuthorizeContinuation(target, clientId, scopes(scope), redirectUri));
  }

  /** RFC 6749 3.3: space-delimited scope tokens; repeats counted once. */
  private static List<String> scopes(String scope) {
    if (scope == null || scope.isBlank()) {
      return List.of();
    }
    var scopes = new LinkedHashSet<String>();
    for (String token : scope.split(" ")) {
      if (!token.isEmpty()) {
        scopes.add(token);
      }
    }
    return Collections.unmodifiableList(new ArrayList<>(scopes));
  }

  /** Form decoding ({@code +} is a space, RFC 6749 appendix B); a malformed escape throws. */
  private static String decode(String raw) {
    return URLDecoder.decode(raw, StandardCharsets.UTF_8);
  }
}
