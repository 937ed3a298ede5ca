package dev.portcullis;

import dev.portcullis.authentication.RolesAllowedFilter;
import dev.portcullis.problem.ProblemExceptionMapper;
import dev.portcullis.problem.UnexpectedExceptionMapper;
import dev.portcullis.problem.WebApplicationExceptionMapper;
import dev.portcullis.session.CsrfFilter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The REST providers every Portcullis REST application registers. */
final class RestProviders {

  private RestProviders() {}

  static Set<Class<?>> with(Class<?>... resources) {
    var classes = new HashSet<Class<?>>(List.of(resources));
    classes.add(RolesAllowedFilter.class);
    classes.add(CsrfFilter.class);
    classes.add(ProblemExceptionMapper.class);
    classes.add(WebApplicationExceptionMapper.class);
    classes.add(UnexpectedExceptionMapper.class);
    return Set.copyOf(classes);
  }
}
