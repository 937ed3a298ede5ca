package dev.portcullis.authentication;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import java.lang.reflect.Method;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RolesAllowedFeatureTest {

  @RolesAllowed("admin")
  static class AdminOnly {
    public void inherited() {}

    @RolesAllowed({"user", "admin"})
    public void widened() {}

    @PermitAll
    public void open() {}

    @DenyAll
    public void closed() {}
  }

  @PermitAll
  static class Open {
    public void inherited() {}

    @RolesAllowed("user")
    public void narrowed() {}
  }

  @DenyAll
  static class Closed {
    public void inherited() {}
  }

  static class Plain {
    public void inherited() {}
  }

  @Test
  void theMethodsAnnotationDecidesBeforeItsClasss() throws Exception {
    assertThat(roles(AdminOnly.class, "widened")).contains(Set.of("user", "admin"));
    assertThat(roles(AdminOnly.class, "open")).isEmpty();
    assertThat(roles(AdminOnly.class, "closed")).contains(Set.of());
    assertThat(roles(Open.class, "narrowed")).contains(Set.of("user"));
  }

  @Test
  void anUnannotatedMethodTakesItsClasss() throws Exception {
    assertThat(roles(AdminOnly.class, "inherited")).contains(Set.of("admin"));
    assertThat(roles(Open.class, "inherited")).isEmpty();
    assertThat(roles(Closed.class, "inherited")).as("deny all: no role passes").contains(Set.of());
    assertThat(roles(Plain.class, "inherited")).as("no filter at all").isEmpty();
  }

  private static Optional<Set<String>> roles(Class<?> type, String name) throws Exception {
    Method method = type.getMethod(name);
    return RolesAllowedFeature.rolesOf(type, method);
  }
}
