package dev.portcullis.login;

import dev.portcullis.oauth.client.ClientRegistry;
import dev.portcullis.oauth.client.RegisteredClient;
import dev.portcullis.web.SecurityHeadersFilter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Lets a page's form end in an OAuth client's redirect. The login, password-change and consent
 * forms post to this site and are answered 303 to {@code /oauth2/authorize?...}, which then
 * redirects to the client; Chromium and Safari check the submitting page's CSP {@code form-action}
 * against that last redirect too, and {@code 'self'} alone would stop the flow there. So when a
 * page's {@code next} or {@code continue} is an authorization request whose {@code redirect_uri}
 * its registered client accepts ({@link RegisteredClient#allowsRedirect}; without one, the client's
 * only registered URI), that URI's origin is added to the page's {@code form-action}. Nothing else
 * is ever added: an unknown client or a redirect URI the client did not register leaves the policy
 * as it is. Thread-safe.
 */
@ApplicationScoped
public class AuthorizationRedirects {

  @Inject ClientRegistry clients;

  /** Widens this response's {@code form-action} for {@code target}, if it is such a request. */
  void allowFormTarget(String target, HttpServletResponse response) {
    AuthorizeContinuation.parse(target)
        .flatMap(request -> clients.find(request.clientId()).flatMap(c -> redirectOf(request, c)))
        .flatMap(AuthorizationRedirects::source)
        .ifPresent(
            source ->
                response.setHeader(
                    "Content-Security-Policy",
                    SecurityHeadersFilter.policyWithFormTargets(List.of(source))));
  }

  /** The redirect URI the request will end in, if its client accepts it. */
  static Optional<String> redirectOf(AuthorizeContinuation request, RegisteredClient client) {
    if (request.redirectUri() == null) {
      return client.redirectUris().size() == 1
          ? Optional.of(client.redirectUris().get(0))
          : Optional.empty();
    }
    return client.allowsRedirect(request.redirectUri())
        ? Optional.of(request.redirectUri())
        : Optional.empty();
  }

  /**
   * The CSP source naming {@code uri}'s origin: {@code https://host:port} for http(s), {@code
   * scheme:} for a native app's private-use scheme (RFC 8252 7.1).
   */
  static Optional<String> source(String uri) {
    try {
      var parsed = new URI(uri);
      if (parsed.getScheme() == null) {
        return Optional.empty();
      }
      String scheme = parsed.getScheme().toLowerCase(Locale.ROOT);
      if (scheme.equals("http") || scheme.equals("https")) {
        String host = parsed.getHost();
        if (host == null || !host.chars().allMatch(AuthorizationRedirects::hostChar)) {
          return Optional.empty();
        }
        return Optional.of(
            scheme + "://" + host + (parsed.getPort() == -1 ? "" : ":" + parsed.getPort()));
      }
      return scheme.matches("[a-z][a-z0-9+.-]*") ? Optional.of(scheme + ":") : Optional.empty();
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  private static boolean hostChar(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '.'
        || c == '-'
        || c == '['
        || c == ']'
        || c == ':';
  }
}
