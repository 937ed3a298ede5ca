package dev.portcullis.authentication;

import dev.portcullis.caller.Caller;
import dev.portcullis.problem.ErrorCode;
import dev.portcullis.problem.Problem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Response;
import java.util.Set;

/**
 * Enforces one resource method's {@code @RolesAllowed} (or {@code @DenyAll}) the same way on every
 * container: no caller → 401 with {@code WWW-Authenticate: Bearer}; a caller without the role → 403
 * {@code FORBIDDEN}. {@link RolesAllowedFeature} binds one to each method that names roles, with
 * the roles it found when the application started, so an unannotated method pays nothing and none
 * looks at annotations per request.
 *
 * <p>The caller is the one the mechanism established ({@link Caller#ATTRIBUTE}, a request attribute
 * JAX-RS exposes as a request property on Jersey and RESTEasy alike), with the groups it told the
 * container; Portcullis maps each group to the role of the same name, so this is the container's
 * {@code isUserInRole} without asking the container's security context for it.
 *
 * <p>Without it Payara/Jersey answers 401 but WildFly/RESTEasy 403 for anonymous calls, and their
 * bodies are not problem+json. Thread-safe.
 */
final class RolesAllowedFilter implements ContainerRequestFilter {

  private final Set<String> roles;

  /**
   * @param roles the roles of which the caller needs one; empty for {@code @DenyAll}
   */
  RolesAllowedFilter(Set<String> roles) {
    this.roles = Set.copyOf(roles);
  }

  @Override
  public void filter(ContainerRequestContext request) {
    if (!(request.getProperty(Caller.ATTRIBUTE) instanceof Caller caller)) {
      request.abortWith(
          Response.fromResponse(
                  Problem.of(ErrorCode.UNAUTHORIZED, "Authentication required").toResponse())
              .header("WWW-Authenticate", "Bearer realm=\"portcullis\"")
              .build());
      return;
    }
    if (caller.groups().stream().noneMatch(roles::contains)) {
      request.abortWith(
          Problem.of(ErrorCode.FORBIDDEN, "The caller lacks the role this requires").toResponse());
    }
  }
}
