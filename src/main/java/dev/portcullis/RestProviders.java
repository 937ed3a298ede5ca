package dev.portcullis;

import dev.portcullis.audit.RateLimitedResponses;
import dev.portcullis.authentication.RolesAllowedFeature;
import dev.portcullis.problem.ProblemExceptionMapper;
import dev.portcullis.problem.UnexpectedExceptionMapper;
import dev.portcullis.problem.WebApplicationExceptionMapper;
import dev.portcullis.session.CsrfFilter;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The REST providers and properties every Portcullis REST application registers.
 *
 * <p>The properties switch off Jersey's generated WADL ({@code /api/application.wadl} and the WADL
 * body of every {@code OPTIONS} answer), which would describe every endpoint, parameter and media
 * type to anyone who asks. RESTEasy (WildFly) generates none and ignores the property.
 */
final class RestProviders {

  private static final Map<String, Object> PROPERTIES =
      Map.of("jersey.config.server.wadl.disableWadl", true);

  private RestProviders() {}

  /** The properties of every Portcullis REST application. */
  static Map<String, Object> properties() {
    return PROPERTIES;
  }

  static Set<Class<?>> with(Class<?>... resources) {
    var classes = new HashSet<Class<?>>(List.of(resources));
    classes.add(RolesAllowedFeature.class);
    classes.add(CsrfFilter.class);
    classes.add(RateLimitedResponses.class);
    classes.add(ProblemExceptionMapper.class);
    classes.add(WebApplicationExceptionMapper.class);
    classes.add(UnexpectedExceptionMapper.class);
    return Set.copyOf(classes);
  }
}
