package dev.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.config.MapConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditSettingsTest {

  @Test
  void defaults() {
    var settings = AuditSettings.read(new MapConfig(Map.of()));
    assertThat(settings.lockTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.refusalWindow()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void theRefusalWindowIsBetweenASecondAndAnHour() {
    assertThat(
            AuditSettings.read(new MapConfig(Map.of("portcullis.audit.refusal-window", "PT5S")))
                .refusalWindow())
        .isEqualTo(Duration.ofSeconds(5));
    for (String bad : new String[] {"PT0.5S", "PT2H", "PT0S", "-PT1M"}) {
      assertThatThrownBy(
              () ->
                  AuditSettings.read(new MapConfig(Map.of("portcullis.audit.refusal-window", bad))))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("portcullis.audit.refusal-window");
    }
    assertThatThrownBy(
            () ->
                AuditSettings.read(
                    new MapConfig(Map.of("portcullis.audit.refusal-window", "a minute"))))
        .hasMessageContaining("ISO-8601");
  }
}
