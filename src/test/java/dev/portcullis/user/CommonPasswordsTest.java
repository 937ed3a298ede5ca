package dev.portcullis.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommonPasswordsTest {

  private static final CommonPasswords SHIPPED = CommonPasswords.shipped();

  @Test
  void shipsAboutAHundredThousandDistinctEntries() {
    // 100,001 lines; fewer once case variants ("Password" / "password") fold together.
    assertThat(SHIPPED.size()).isBetween(95_000, 100_001);
  }

  @Test
  void containsTheUsualSuspects() {
    assertThat(SHIPPED.contains("123456")).isTrue();
    assertThat(SHIPPED.contains("password")).isTrue();
    assertThat(SHIPPED.contains("qwertyuiop")).isTrue();
    assertThat(SHIPPED.contains("iloveyou")).isTrue();
    assertThat(SHIPPED.contains("correcthorsebatterystaple")).isTrue();
  }

  @Test
  void comparesNormalisedAndCaseFolded() {
    assertThat(SHIPPED.contains("PASSWORD")).isTrue();
    assertThat(SHIPPED.contains("PassWord")).isTrue();
    assertThat(SHIPPED.contains("\uff50\uff41\uff53\uff53\uff57\uff4f\uff52\uff44")) // full-width
        .isTrue();
  }

  @Test
  void letsUncommonPasswordsThrough() {
    // The passwords the integration tests use must stay allowed.
    for (String password :
        List.of(
            "Tr1cky-Passw0rd!",
            "Key-Owner-Pass1",
            "Browser-Pass-1",
            "Surv1ve-Restart",
            "Key-User-Pass1",
            "Alice-Secret-Pass",
            "Arquillian-Adm1n-Fixture",
            "Choose-A-Strong-One-42",
            "correct horse battery staple!",
            "")) {
      assertThat(SHIPPED.contains(password)).as(password).isFalse();
    }
  }

  @Test
  void deduplicatesAndSearchesSmallLists() {
    var list = CommonPasswords.of(List.of("b", "a", "A", " c\r", "", "\u00e9t\u00e9"));
    assertThat(list.size()).isEqualTo(4);
    assertThat(list.contains("a")).isTrue();
    assertThat(list.contains("c")).isTrue();
    assertThat(list.contains("e\u0301te\u0301")).as("NFKC composes").isTrue();
    assertThat(list.contains("d")).isFalse();
    assertThat(list.contains("")).isFalse();
    assertThat(CommonPasswords.of(List.of()).contains("a")).isFalse();
  }
}
