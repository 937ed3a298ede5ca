package dev.portcullis.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestPathsTest {

  @Test
  void joinsTheServletPathAndThePathInfo() {
    assertThat(RequestPaths.join("/api", "/v1/me")).isEqualTo("/api/v1/me");
    assertThat(RequestPaths.join("/account", null)).isEqualTo("/account");
    assertThat(RequestPaths.join("", null)).isEqualTo("/");
    assertThat(RequestPaths.join(null, null)).isEqualTo("/");
  }

  @Test
  void theApiIsItsMappingAndEverythingUnderIt() {
    assertThat(RequestPaths.isApi("/api/v1/auth/login")).isTrue();
    assertThat(RequestPaths.isApi("/api")).as("/api;x/v1/... maps to /api alone").isTrue();
    assertThat(RequestPaths.isApi("/apix")).isFalse();
    assertThat(RequestPaths.isApi("/static/api/x")).isFalse();
  }

  @Test
  void authenticationPathsCoverTheApiThePagesAndLogout() {
    for (String path :
        new String[] {
          "/api",
          "/api/v1/auth/login",
          "/login",
          "/login/password",
          "/login/password.xhtml",
          "/logout",
          "/account",
          "/consent",
          "/consent.xhtml",
          "/faces/x"
        }) {
      assertThat(RequestGuardFilter.isAuthenticationPath(path)).as(path).isTrue();
    }
    assertThat(RequestGuardFilter.isAuthenticationPath("/static/portcullis.css")).isFalse();
    assertThat(RequestGuardFilter.isAuthenticationPath("/health/ready")).isFalse();
    assertThat(RequestGuardFilter.isAuthenticationPath("/consentx")).isFalse();
  }
}
