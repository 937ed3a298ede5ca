package dev.portcullis.upstream;

import dev.portcullis.config.Settings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The configured upstream providers ({@link UpstreamSettings}), read once at start-up: a wrong
 * setting stops the deployment with the setting's name, not a sign-in. Usage: {@code
 * providers.all()} for the sign-in buttons, {@code providers.find(id)} for a start or callback
 * path. Thread-safe.
 */
@ApplicationScoped
public class UpstreamProviders {

  @Inject UpstreamSettings settings;

  /** Every configured provider, in the configured order. */
  public List<UpstreamProvider> all() {
    return settings.providers();
  }

  /** The provider with this id, if one is configured. */
  public Optional<UpstreamProvider> find(String id) {
    return settings.providers().stream().filter(p -> p.id().equals(id)).findFirst();
  }

  /** Produces the settings from MicroProfile Config. */
  @ApplicationScoped
  public static class Producer {

    @Produces
    @Singleton
    UpstreamSettings settings(Settings settings) {
      return UpstreamSettings.read(ConfigProvider.getConfig(), settings.knownRoles());
    }

    void validateAtStartup(
        @Observes @Initialized(ApplicationScoped.class) Object started, UpstreamSettings settings) {
      settings.providers();
    }
  }
}
