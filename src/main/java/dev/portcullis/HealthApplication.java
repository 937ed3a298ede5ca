package dev.portcullis;

import dev.portcullis.health.HealthResource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;
import java.util.Set;

/**
 * Liveness and readiness under {@code /health}, served by the application itself (Payara Micro
 * serves none there, WildFly serves its own on the management port).
 */
@ApplicationPath("/health")
@ApplicationScoped
public class HealthApplication extends Application {

  @Override
  public Set<Class<?>> getClasses() {
    return RestProviders.with(HealthResource.class);
  }

  @Override
  public Map<String, Object> getProperties() {
    return RestProviders.properties();
  }
}
