package dev.portcullis.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.config.InvalidSettingException;
import dev.portcullis.config.MapConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpstreamSettingsTest {

  private static final Set<String> ROLES = Set.of("user", "admin");

  private static UpstreamSettings read(Map<String, String> values) {
    return UpstreamSettings.read(new MapConfig(values), ROLES);
  }

  private static Map<String, String> with(String... pairs) {
    var map = new HashMap<String, String>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }

  @Test
  void noProvidersByDefault() {
    var settings = read(Map.of());
    assertThat(settings.providers()).isEmpty();
    assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(settings.attemptTtl()).isEqualTo(Duration.ofMinutes(10));
    assertThat(settings.keysRefreshInterval()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void googleAndGitHubHaveTheirDefaults() {
    var settings =
        read(
            with(
                "portcullis.upstream.providers", "google, github",
                "portcullis.upstream.google.client-id", "g",
                "portcullis.upstream.google.client-secret", "gs",
                "portcullis.upstream.github.client-id", "h",
                "portcullis.upstream.github.client-secret", "hs"));
    var google = settings.providers().get(0);
    assertThat(google.kind()).isEqualTo(ProviderKind.GOOGLE);
    assertThat(google.issuer()).isEqualTo("https://accounts.google.com");
    assertThat(google.scopes()).containsExactly("openid", "email", "profile");
    assertThat(google.displayName()).isEqualTo("Google");
    assertThat(google.provisioning()).isFalse();
    assertThat(google.defaultRoles()).containsExactly("user");
    var github = settings.providers().get(1);
    assertThat(github.kind()).isEqualTo(ProviderKind.GITHUB);
    assertThat(github.issuer()).isEqualTo("https://github.com");
    assertThat(github.apiUrl()).isEqualTo(URI.create("https://api.github.com"));
    assertThat(github.scopes()).containsExactly("read:user", "user:email");
    assertThat(github.toString()).doesNotContain("hs");
    assertThat(github.authMethod()).isEqualTo("upstream:github");
  }

  @Test
  void gitHubEnterpriseApiDefaultsBesideItsWebBase() {
    var github =
        read(with(
                "portcullis.upstream.providers", "ghe",
                "portcullis.upstream.ghe.kind", "github",
                "portcullis.upstream.ghe.issuer", "https://git.example.com",
                "portcullis.upstream.ghe.client-id", "h",
                "portcullis.upstream.ghe.client-secret", "hs"))
            .providers()
            .get(0);
    assertThat(github.apiUrl()).isEqualTo(URI.create("https://git.example.com/api/v3"));
  }

  @Test
  void anOidcProviderNeedsItsIssuerClientAndSecret() {
    var base =
        with(
            "portcullis.upstream.providers", "corp",
            "portcullis.upstream.corp.issuer", "https://id.example.com/realms/x",
            "portcullis.upstream.corp.client-id", "c",
            "portcullis.upstream.corp.client-secret", "s");
    assertThat(read(base).providers().get(0).kind()).isEqualTo(ProviderKind.OIDC);
    for (String missing :
        List.of(
            "portcullis.upstream.corp.issuer",
            "portcullis.upstream.corp.client-id",
            "portcullis.upstream.corp.client-secret")) {
      var values = new HashMap<>(base);
      values.remove(missing);
      assertThatThrownBy(() -> read(values))
          .isInstanceOf(InvalidSettingException.class)
          .hasMessageContaining(missing.substring(missing.lastIndexOf('.') + 1));
    }
  }

  @Test
  void refusesWrongValuesNamingTheSetting() {
    var base =
        with(
            "portcullis.upstream.providers", "corp",
            "portcullis.upstream.corp.issuer", "https://id.example.com",
            "portcullis.upstream.corp.client-id", "c",
            "portcullis.upstream.corp.client-secret", "s");
    Map<String, String> wrong =
        Map.of(
            "portcullis.upstream.providers", "Corp",
            "portcullis.upstream.corp.kind", "saml",
            "portcullis.upstream.corp.provisioning", "yes",
            "portcullis.upstream.corp.default-roles", "root",
            "portcullis.upstream.corp.scopes", "email profile",
            "portcullis.upstream.corp.client-secret-file", "/nonexistent",
            "portcullis.upstream.timeout", "10s");
    for (var entry : wrong.entrySet()) {
      var values = new HashMap<>(base);
      values.put(entry.getKey(), entry.getValue());
      assertThatThrownBy(() -> read(values))
          .as(entry.getKey())
          .isInstanceOf(InvalidSettingException.class);
    }
  }

  @Test
  void plainHttpOnlyToLoopback() {
    for (String issuer :
        List.of(
            "http://id.example.com",
            "ftp://id.example.com",
            "https://user@id.example.com",
            "https://id.example.com?x=1",
            "https://id.example.com#f",
            "/relative",
            "http://10.0.0.1")) {
      assertThatThrownBy(
              () ->
                  read(
                      with(
                          "portcullis.upstream.providers", "corp",
                          "portcullis.upstream.corp.issuer", issuer,
                          "portcullis.upstream.corp.client-id", "c",
                          "portcullis.upstream.corp.client-secret", "s")))
          .as(issuer)
          .isInstanceOf(InvalidSettingException.class)
          .hasMessageContaining("portcullis.upstream.corp.issuer");
    }
    assertThat(UpstreamSettings.callable(URI.create("http://127.0.0.1:9000/x"))).isTrue();
    assertThat(UpstreamSettings.callable(URI.create("http://localhost:9000/x"))).isTrue();
    assertThat(UpstreamSettings.callable(URI.create("http://[::1]:9000/x"))).isTrue();
    assertThat(UpstreamSettings.callable(URI.create("https://accounts.google.com/o"))).isTrue();
  }

  @Test
  void readsTheSecretFromAFile(@TempDir Path dir) throws Exception {
    var file = dir.resolve("secret");
    Files.writeString(file, "from-file\n");
    var provider =
        read(with(
                "portcullis.upstream.providers", "corp",
                "portcullis.upstream.corp.issuer", "https://id.example.com",
                "portcullis.upstream.corp.client-id", "c",
                "portcullis.upstream.corp.client-secret-file", file.toString(),
                "portcullis.upstream.corp.allowed-domains", "Example.COM, corp.example"))
            .providers()
            .get(0);
    assertThat(provider.clientSecret()).isEqualTo("from-file");
    assertThat(provider.allowsDomainOf("a@example.com")).isTrue();
    assertThat(provider.allowsDomainOf("a@EXAMPLE.com")).isTrue();
    assertThat(provider.allowsDomainOf("a@evil.example.com")).isFalse();
    assertThat(provider.allowsDomainOf("example.com")).isFalse();
    assertThat(provider.allowsDomainOf(null)).isFalse();
  }
}
