package dev.portcullis;

import dev.portcullis.apikey.AdminApiKeyResource;
import dev.portcullis.apikey.ApiKeyResource;
import dev.portcullis.audit.AdminAuditResource;
import dev.portcullis.authentication.MeResource;
import dev.portcullis.oauth.client.AdminClientResource;
import dev.portcullis.signin.AuthResource;
import dev.portcullis.signin.SignInResource;
import dev.portcullis.token.SigningKeyAdminResource;
import dev.portcullis.upstream.AdminUpstreamLinkResource;
import dev.portcullis.user.AdminUserResource;
import jakarta.annotation.security.DeclareRoles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;
import java.util.Set;

/**
 * The JSON API under {@code /api}. Resources are listed explicitly because the WAR has several REST
 * applications ({@code /api}, {@code /.well-known}, {@code /health}).
 *
 * <p>{@code @DeclareRoles} is required: without it Payara maps no group to a role and every
 * {@code @RolesAllowed} check fails.
 */
@ApplicationPath("/api")
@ApplicationScoped
@DeclareRoles({"user", "admin"})
public class ApiApplication extends Application {

  @Override
  public Set<Class<?>> getClasses() {
    return RestProviders.with(
        AuthResource.class,
        MeResource.class,
        AdminUserResource.class,
        SigningKeyAdminResource.class,
        ApiKeyResource.class,
        AdminApiKeyResource.class,
        SignInResource.class,
        AdminAuditResource.class,
        AdminClientResource.class,
        AdminUpstreamLinkResource.class);
  }

  @Override
  public Map<String, Object> getProperties() {
    return RestProviders.properties();
  }
}
