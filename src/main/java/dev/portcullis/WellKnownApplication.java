package dev.portcullis;

import dev.portcullis.oauth.DiscoveryResource;
import dev.portcullis.token.JwksResource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;
import java.util.Set;

/**
 * Discovery documents under {@code /.well-known} (RFC 8615): the JWKS and the OpenID / OAuth
 * authorization-server metadata.
 */
@ApplicationPath("/.well-known")
@ApplicationScoped
public class WellKnownApplication extends Application {

  @Override
  public Set<Class<?>> getClasses() {
    return RestProviders.with(JwksResource.class, DiscoveryResource.class);
  }

  @Override
  public Map<String, Object> getProperties() {
    return RestProviders.properties();
  }
}
