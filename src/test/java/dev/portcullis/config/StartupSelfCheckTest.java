package dev.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StartupSelfCheckTest {

  private static Settings settings(Map<String, String> values) {
    var all = new HashMap<>(Map.of("portcullis.master-key", "x"));
    all.putAll(values);
    return SettingsProducer.read(new MapConfig(all));
  }

  @Test
  void aSafeProductionConfigurationHasNoFindings() {
    assertThat(
            StartupSelfCheck.findings(
                settings(Map.of("portcullis.issuer", "https://id.example.com")), false))
        .isEmpty();
  }

  @Test
  void weakArgon2IsFatalInProductionAndAWarningInDevelopment() {
    var weak =
        Map.of(
            "portcullis.password.argon2.memory-kib",
            "8192",
            "portcullis.password.argon2.iterations",
            "2");
    var production = StartupSelfCheck.findings(settings(weak), false);
    assertThat(production)
        .anySatisfy(
            f -> {
              assertThat(f.fatal()).isTrue();
              assertThat(f.message()).contains("OWASP");
            });
    var dev = new HashMap<>(weak);
    dev.put("portcullis.dev-mode", "true");
    assertThat(StartupSelfCheck.findings(settings(dev), false))
        .noneMatch(StartupSelfCheck.Finding::fatal)
        .anySatisfy(f -> assertThat(f.message()).contains("OWASP"));
    assertThat(
            StartupSelfCheck.findings(
                settings(
                    Map.of(
                        "portcullis.password.argon2.memory-kib", "47104",
                        "portcullis.password.argon2.iterations", "1",
                        "portcullis.issuer", "https://id.example.com")),
                false))
        .isEmpty();
  }

  @Test
  void warnsAboutAStillValidBootstrapPasswordAndAPlainHttpIssuer() {
    var findings =
        StartupSelfCheck.findings(
            settings(Map.of("portcullis.issuer", "http://id.example.com")), true);
    assertThat(findings)
        .extracting(StartupSelfCheck.Finding::message)
        .anySatisfy(m -> assertThat(m).contains("bootstrap"))
        .anySatisfy(m -> assertThat(m).contains("not HTTPS"));
    assertThat(findings).noneMatch(StartupSelfCheck.Finding::fatal);
  }

  @Test
  void noMasterKeyIsFatalOutsideDevelopment() {
    var noKey = SettingsProducer.read(new MapConfig(Map.of()));
    assertThat(StartupSelfCheck.findings(noKey, false)).anyMatch(StartupSelfCheck.Finding::fatal);
  }
}
