package dev.portcullis.authentication;

import dev.portcullis.problem.ErrorCode;
import dev.portcullis.problem.Problem;
import jakarta.annotation.Priority;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;

/**
 * Enforces {@code @RolesAllowed} on REST resources the same way on every container: no caller → 401
 * with {@code WWW-Authenticate: Bearer}; a caller without the role → 403 {@code FORBIDDEN}.
 *
 * <p>Without it Payara/Jersey answers 401 but WildFly/RESTEasy 403 for anonymous calls, and their
 * bodies are not problem+json.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class RolesAllowedFilter implements ContainerRequestFilter {

  @Context ResourceInfo resource;

  @Override
  public void filter(ContainerRequestContext request) {
    Method method = resource.getResourceMethod();
    if (method == null || method.isAnnotationPresent(PermitAll.class)) {
      return;
    }
    RolesAllowed allowed = method.getAnnotation(RolesAllowed.class);
    boolean denyAll = method.isAnnotationPresent(DenyAll.class);
    if (allowed == null && !denyAll) {
      if (resource.getResourceClass().isAnnotationPresent(PermitAll.class)) {
        return;
      }
      allowed = resource.getResourceClass().getAnnotation(RolesAllowed.class);
      denyAll = resource.getResourceClass().isAnnotationPresent(DenyAll.class);
    }
    if (allowed == null && !denyAll) {
      return;
    }
    var security = request.getSecurityContext();
    if (security.getUserPrincipal() == null) {
      request.abortWith(
          Response.fromResponse(
                  Problem.of(ErrorCode.UNAUTHORIZED, "Authentication required").toResponse())
              .header("WWW-Authenticate", "Bearer realm=\"portcullis\"")
              .build());
      return;
    }
    if (!denyAll) {
      for (String role : allowed.value()) {
        if (security.isUserInRole(role)) {
          return;
        }
      }
    }
    request.abortWith(
        Problem.of(ErrorCode.FORBIDDEN, "The caller lacks the role this requires").toResponse());
  }
}
