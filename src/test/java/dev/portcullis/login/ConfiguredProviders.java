package dev.portcullis.login;

import dev.portcullis.upstream.ProviderKind;
import dev.portcullis.upstream.UpstreamProvider;
import java.net.URI;
import java.util.List;
import java.util.Set;

/** Configured providers as the login-package tests need them. */
final class ConfiguredProviders {

  static final UpstreamProvider GOOGLE =
      provider("google", ProviderKind.GOOGLE, "https://accounts.google.com", "Google");
  static final UpstreamProvider GITHUB =
      provider("github", ProviderKind.GITHUB, "https://github.com", "GitHub");
  static final UpstreamProvider CORP =
      provider("corp", ProviderKind.OIDC, "https://sso.corp.example/realms/staff", "Corp SSO");

  private ConfiguredProviders() {}

  static UpstreamProvider provider(String id, ProviderKind kind, String issuer, String name) {
    return new UpstreamProvider(
        id,
        kind,
        issuer,
        kind == ProviderKind.GITHUB ? URI.create("https://api.github.com") : null,
        id + "-client",
        "not-a-real-secret",
        name,
        kind.isOpenId() ? List.of("openid", "email") : List.of("read:user", "user:email"),
        false,
        Set.of("user"),
        Set.of());
  }
}
