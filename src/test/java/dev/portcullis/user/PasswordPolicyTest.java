package dev.portcullis.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.config.MapConfig;
import dev.portcullis.config.SettingsProducer;
import dev.portcullis.problem.ErrorCode;
import dev.portcullis.problem.ProblemException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PasswordPolicyTest {

  private final PasswordPolicy policy = new PasswordPolicy();

  PasswordPolicyTest() {
    policy.settings = SettingsProducer.read(new MapConfig(Map.of()));
    policy.common = CommonPasswords.shipped();
  }

  @Test
  void refusesCommonPasswordsWithAClearMessage() {
    for (String common : new String[] {"password1", "PASSWORD1", "qwertyuiop", "iloveyou2"}) {
      assertThatThrownBy(() -> policy.checkNew(common, "alice", "alice@example.com"))
          .as(common)
          .isInstanceOf(ProblemException.class)
          .hasMessageContaining("100,000 most common passwords")
          .satisfies(
              e -> {
                var problem = ((ProblemException) e).problem();
                assertThat(problem.status()).isEqualTo(400);
                assertThat(problem.code()).isEqualTo(ErrorCode.VALIDATION_FAILED.code());
              });
    }
  }

  @Test
  void refusesFullWidthFormsOfCommonPasswords() {
    String fullWidth = "\uff50\uff41\uff53\uff53\uff57\uff4f\uff52\uff44\uff11"; // ｐａｓｓｗｏｒｄ１
    assertThatThrownBy(() -> policy.checkNew(fullWidth, "alice", null))
        .hasMessageContaining("most common");
  }

  @Test
  void refusesShortLongAndPersonalPasswords() {
    assertThatThrownBy(() -> policy.checkNew("Ab1-xyz", "alice", null))
        .hasMessageContaining("at least 8");
    assertThatThrownBy(() -> policy.checkNew("x".repeat(257), "alice", null))
        .hasMessageContaining("at most 256");
    assertThatThrownBy(() -> policy.checkNew("Alice.Wonder", "alice.wonder", null))
        .hasMessageContaining("username or e-mail");
    assertThatThrownBy(() -> policy.checkNew("ALICE@example.com", "alice", "alice@example.com"))
        .hasMessageContaining("username or e-mail");
  }

  @Test
  void acceptsLongAndUncommonPasswords() {
    assertThatCode(() -> policy.checkNew("Tr1cky-Passw0rd!", "alice", null))
        .doesNotThrowAnyException();
    assertThatCode(() -> policy.checkNew("x".repeat(128), "alice", null))
        .doesNotThrowAnyException();
    assertThatCode(() -> policy.checkNew("Ünïcödé-Pässwörd-☃", "alice", null))
        .doesNotThrowAnyException();
  }
}
