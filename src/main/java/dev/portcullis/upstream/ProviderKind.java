package dev.portcullis.upstream;

import java.util.Locale;
import java.util.Optional;

/**
 * What protocol an upstream provider speaks ({@code PORTCULLIS_UPSTREAM_<ID>_KIND}).
 *
 * <ul>
 *   <li>{@link #OIDC} — any OpenID Connect provider, found by discovery at its issuer;
 *   <li>{@link #GOOGLE} — OpenID Connect with Google's issuer and default scopes;
 *   <li>{@link #GITHUB} — plain OAuth 2.0 plus GitHub's user and e-mail API (no ID token).
 * </ul>
 */
public enum ProviderKind {
  OIDC,
  GOOGLE,
  GITHUB;

  /** The configuration value ({@code oidc}, {@code google}, {@code github}). */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind a configuration value names, if any (exact lower-case spelling). */
  public static Optional<ProviderKind> fromWire(String value) {
    for (var kind : values()) {
      if (kind.wireName().equals(value)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }

  /** Whether the provider signs ID tokens (OpenID Connect) rather than answering a user API. */
  public boolean isOpenId() {
    return this != GITHUB;
  }
}
