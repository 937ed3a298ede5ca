package dev.portcullis.caller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.problem.ErrorCode;
import dev.portcullis.problem.ProblemException;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CallerTest {

  private static Caller caller(AuthMethod method, String... groups) {
    return new Caller(UUID.randomUUID(), "alice", Set.of(groups), method, null, "id");
  }

  @Test
  void onlyTheBrowserSessionIsABrowserSession() {
    assertThat(caller(AuthMethod.SESSION, "user").isBrowserSession()).isTrue();
    assertThat(caller(AuthMethod.JWT, "user").isBrowserSession()).isFalse();
    assertThat(caller(AuthMethod.API_KEY, "user", "admin").isBrowserSession()).isFalse();
  }

  @Test
  void anApiKeyNeverManagesCredentialsWhateverItsScopes() {
    var key = caller(AuthMethod.API_KEY, "user", "admin");
    assertThat(key.mayManageCredentials()).isFalse();
    assertThatThrownBy(key::requireCredentialManager)
        .isInstanceOfSatisfying(
            ProblemException.class,
            e -> {
              assertThat(e.problem().status()).isEqualTo(403);
              assertThat(e.problem().code()).isEqualTo(ErrorCode.FORBIDDEN.code());
            });
  }

  @Test
  void tokensAndSessionsManageCredentials() {
    var token = caller(AuthMethod.JWT, "user");
    var session = caller(AuthMethod.SESSION, "user");
    assertThat(token.requireCredentialManager()).isSameAs(token);
    assertThat(session.requireCredentialManager()).isSameAs(session);
  }

  @Test
  void authorityIsTheCallersOwnIntersectedWithTheOwnersRoles() {
    assertThat(caller(AuthMethod.API_KEY, "user").authorityOver(Set.of("user", "admin")))
        .containsExactly("user");
    assertThat(caller(AuthMethod.JWT, "user").authorityOver(Set.of("user", "admin")))
        .as("a token issued before the owner gained admin")
        .containsExactly("user");
    assertThat(caller(AuthMethod.JWT, "admin", "user").authorityOver(Set.of("user")))
        .as("an administrator acting for a user with fewer roles")
        .containsExactly("user");
    assertThat(caller(AuthMethod.SESSION, "admin", "user").authorityOver(Set.of("user", "admin")))
        .containsExactly("admin", "user");
    assertThat(caller(AuthMethod.SESSION, "user").authorityOver(Set.of())).isEmpty();
  }
}
