package dev.portcullis.upstream;

import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * One configured upstream provider (SPEC 3.7), read from {@code PORTCULLIS_UPSTREAM_<ID>_*} by
 * {@link UpstreamSettings}. Immutable; {@link #toString()} leaves the client secret out.
 *
 * @param id the provider id: lower-case letters and digits, at most 32; in the start and callback
 *     paths and in the configuration names
 * @param kind what protocol it speaks
 * @param issuer the issuer exactly as its ID tokens carry it (OpenID Connect; discovery is at
 *     {@code <issuer>/.well-known/openid-configuration}), for GitHub its web base URL ({@code
 *     https://github.com} or a GitHub Enterprise server's); links are keyed on it
 * @param apiUrl GitHub's REST API base ({@code https://api.github.com}); null for OpenID providers
 * @param clientId the client id registered at the provider
 * @param clientSecret the client secret registered at the provider (from {@code _CLIENT_SECRET} or
 *     {@code _CLIENT_SECRET_FILE})
 * @param displayName what the sign-in button says after "Sign in with"
 * @param scopes the scopes asked for, in order
 * @param provisioning whether a first sign-in without a linked account creates a local account
 * @param defaultRoles the roles a provisioned account gets
 * @param allowedDomains e-mail domains allowed to provision (lower case); empty allows any, and a
 *     non-empty list needs a verified e-mail address
 */
public record UpstreamProvider(
    String id,
    ProviderKind kind,
    String issuer,
    URI apiUrl,
    String clientId,
    String clientSecret,
    String displayName,
    List<String> scopes,
    boolean provisioning,
    Set<String> defaultRoles,
    Set<String> allowedDomains) {

  public UpstreamProvider {
    scopes = List.copyOf(scopes);
    defaultRoles = Set.copyOf(defaultRoles);
    allowedDomains = Set.copyOf(allowedDomains);
  }

  /** The session auth method of a sign-in through this provider: {@code upstream:<id>}. */
  public String authMethod() {
    return AUTH_METHOD_PREFIX + id;
  }

  /** What {@link #authMethod()} starts with. */
  public static final String AUTH_METHOD_PREFIX = "upstream:";

  @Override
  public String toString() {
    return "UpstreamProvider[id=" + id + ", kind=" + kind.wireName() + ", issuer=" + issuer + "]";
  }

  /** Whether {@code address}'s domain may provision an account here. */
  public boolean allowsDomainOf(String address) {
    if (allowedDomains.isEmpty()) {
      return true;
    }
    int at = address == null ? -1 : address.lastIndexOf('@');
    return at > 0
        && allowedDomains.contains(address.substring(at + 1).toLowerCase(java.util.Locale.ROOT));
  }
}
