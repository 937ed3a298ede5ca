package dev.portcullis.ratelimit;

import dev.portcullis.web.ClientAddresses;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Produces {@link RateLimitSettings} from MicroProfile Config, and reads them (and {@code
 * portcullis.trusted-proxies}) at start-up so a bad value stops the deployment, not a request.
 */
@ApplicationScoped
public class RateLimitSettingsProducer {

  @Produces
  @Singleton
  RateLimitSettings settings() {
    return RateLimitSettings.read(ConfigProvider.getConfig());
  }

  void validateAtStartup(
      @Observes @Initialized(ApplicationScoped.class) Object started, RateLimitSettings settings) {
    settings.enabled();
    ClientAddresses.trustedProxies();
  }
}
