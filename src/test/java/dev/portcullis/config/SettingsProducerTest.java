package dev.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsProducerTest {

  @Test
  void defaultsFollowTheSpec() {
    var settings = SettingsProducer.read(new MapConfig(Map.of()));
    assertThat(settings.tokenAlgorithm()).isEqualTo("PS256");
    assertThat(settings.accessTokenTtl()).isEqualTo(Duration.ofMinutes(15));
    assertThat(settings.refreshTokenTtl()).isEqualTo(Duration.ofDays(7));
    assertThat(settings.refreshFamilyMaxTtl()).isEqualTo(Duration.ofDays(30));
    assertThat(settings.keyPublishLead()).isEqualTo(Duration.ofHours(1));
    assertThat(settings.argon2()).isEqualTo(Settings.Argon2Settings.OWASP);
    assertThat(settings.passwordMaxLength()).isGreaterThanOrEqualTo(128);
    assertThat(settings.masterKey()).isEmpty();
    assertThat(settings.bootstrapAdminPassword()).isEmpty();
    assertThat(settings.devMode()).isFalse();
    assertThat(settings.clientsFile()).isEmpty();
  }

  @Test
  void theClientsFileIsAPath() {
    assertThat(read("portcullis.clients-file", " /etc/portcullis/clients.json ").clientsFile())
        .contains(java.nio.file.Path.of("/etc/portcullis/clients.json"));
    assertThat(read("portcullis.clients-file", " ").clientsFile()).isEmpty();
  }

  @Test
  void refusesUnsafeOrInconsistentValues() {
    assertThatThrownBy(() -> read("portcullis.keys.publish-lead", "PT5M"))
        .hasMessageContaining("10 minutes");
    assertThatThrownBy(() -> read("portcullis.token.algorithm", "HS256"))
        .isInstanceOf(InvalidSettingException.class);
    assertThatThrownBy(() -> read("portcullis.token.algorithm", "none"))
        .isInstanceOf(InvalidSettingException.class);
    assertThatThrownBy(() -> read("portcullis.token.access-ttl", "fifteen minutes"))
        .isInstanceOf(InvalidSettingException.class);
    assertThatThrownBy(() -> read("portcullis.password.max-length", "64"))
        .isInstanceOf(InvalidSettingException.class);
    assertThatThrownBy(() -> read("portcullis.roles", "user"))
        .isInstanceOf(InvalidSettingException.class);
  }

  private static Settings read(String key, String value) {
    return SettingsProducer.read(new MapConfig(Map.of(key, value)));
  }
}
