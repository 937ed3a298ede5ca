package dev.portcullis;

import dev.portcullis.audit.RateLimitedResponses;
import dev.portcullis.oauth.AuthorizeResource;
import dev.portcullis.oauth.IntrospectionResource;
import dev.portcullis.oauth.LogoutResource;
import dev.portcullis.oauth.RevocationResource;
import dev.portcullis.oauth.TokenResource;
import dev.portcullis.oauth.UserinfoResource;
import dev.portcullis.oauth.wire.OAuthErrorMapper;
import dev.portcullis.problem.ProblemExceptionMapper;
import dev.portcullis.problem.UnexpectedExceptionMapper;
import dev.portcullis.problem.WebApplicationExceptionMapper;
import dev.portcullis.token.JwksResource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;
import java.util.Set;

/**
 * The OAuth 2.0 authorization server and OpenID provider under {@code /oauth2} (SPEC 3.6).
 *
 * <p>Unlike the JSON API it registers no {@code CsrfFilter}: its endpoints either authenticate the
 * client themselves (token, revocation, introspection), take a bearer token (userinfo), are
 * cross-site navigations by design (authorize, logout — whose confirmation form carries its own
 * CSRF token) — and no {@code RolesAllowedFilter}, as nothing here is role-protected.
 */
@ApplicationPath("/oauth2")
@ApplicationScoped
public class OAuthApplication extends Application {

  @Override
  public Set<Class<?>> getClasses() {
    return Set.of(
        AuthorizeResource.class,
        TokenResource.class,
        RevocationResource.class,
        IntrospectionResource.class,
        UserinfoResource.class,
        LogoutResource.class,
        OAuthJwksResource.class,
        OAuthErrorMapper.class,
        RateLimitedResponses.class,
        ProblemExceptionMapper.class,
        WebApplicationExceptionMapper.class,
        UnexpectedExceptionMapper.class);
  }

  @Override
  public Map<String, Object> getProperties() {
    return RestProviders.properties();
  }

  /** {@code /oauth2/jwks}: the same document as {@code /.well-known/jwks.json} (SPEC 3.4). */
  @jakarta.ws.rs.Path("jwks")
  @jakarta.enterprise.context.RequestScoped
  public static class OAuthJwksResource extends JwksResource {
    @Override
    @jakarta.ws.rs.GET
    public jakarta.ws.rs.core.Response jwks() {
      return super.jwks();
    }
  }
}
