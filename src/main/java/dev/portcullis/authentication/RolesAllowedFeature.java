package dev.portcullis.authentication;

import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;
import java.util.Optional;
import java.util.Set;

/**
 * Binds a {@link RolesAllowedFilter} to every resource method that names roles, when the
 * application starts: the method's own {@code @PermitAll}, {@code @RolesAllowed} or
 * {@code @DenyAll} decides, else its class's (the Jakarta Annotations rule).
 */
@Provider
public class RolesAllowedFeature implements DynamicFeature {

  @Override
  public void configure(ResourceInfo resource, FeatureContext context) {
    rolesOf(resource.getResourceClass(), resource.getResourceMethod())
        .ifPresent(
            roles -> context.register(new RolesAllowedFilter(roles), Priorities.AUTHENTICATION));
  }

  /**
   * The roles of which a caller of {@code method} needs one: empty for {@code @DenyAll} (nobody),
   * no value at all when the method is open to anyone.
   */
  static Optional<Set<String>> rolesOf(Class<?> type, Method method) {
    if (method == null) {
      return Optional.empty();
    }
    if (method.isAnnotationPresent(PermitAll.class)) {
      return Optional.empty();
    }
    if (method.isAnnotationPresent(DenyAll.class)) {
      return Optional.of(Set.of());
    }
    if (method.isAnnotationPresent(RolesAllowed.class)) {
      return Optional.of(Set.of(method.getAnnotation(RolesAllowed.class).value()));
    }
    if (type == null || type.isAnnotationPresent(PermitAll.class)) {
      return Optional.empty();
    }
    if (type.isAnnotationPresent(DenyAll.class)) {
      return Optional.of(Set.of());
    }
    if (type.isAnnotationPresent(RolesAllowed.class)) {
      return Optional.of(Set.of(type.getAnnotation(RolesAllowed.class).value()));
    }
    return Optional.empty();
  }
}
