package dev.portcullis.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.problem.ProblemException;
import org.junit.jupiter.api.Test;

class UsernamesTest {

  @Test
  void keysFoldCaseAndCompatibilityForms() {
    assertThat(Usernames.key("Alice")).isEqualTo(Usernames.key("alice"));
    assertThat(Usernames.key("\uff21\uff4c\uff49\uff43\uff45")).isEqualTo("alice");
    assertThat(Usernames.key("ALICE@Example.COM")).isEqualTo("alice@example.com");
  }

  @Test
  void refusesUsernamesWithControlCharactersSpacesOrExcessLength() {
    assertThatThrownBy(() -> Usernames.validUsername("evil\nINFO fake log"))
        .isInstanceOf(ProblemException.class);
    assertThatThrownBy(() -> Usernames.validUsername("two words"))
        .isInstanceOf(ProblemException.class);
    assertThatThrownBy(() -> Usernames.validUsername("a".repeat(65)))
        .isInstanceOf(ProblemException.class);
    assertThat(Usernames.validUsername(" j\u00f6rg.m-1 ")).isEqualTo("j\u00f6rg.m-1");
  }

  @Test
  void validatesEmailShape() {
    assertThat(Usernames.validEmail("a@b.example")).isEqualTo("a@b.example");
    assertThatThrownBy(() -> Usernames.validEmail("not-an-address"))
        .isInstanceOf(ProblemException.class);
  }
}
