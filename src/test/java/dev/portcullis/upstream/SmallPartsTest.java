package dev.portcullis.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.token.ClientGrant;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SmallPartsTest {

  @Test
  void pkceChallengeIsRfc7636AppendixB() {
    assertThat(UpstreamSignIns.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
        .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  }

  @Test
  void upstreamErrorCodesAreMadeSafeForTheLog() {
    assertThat(UpstreamErrors.code("access_denied")).isEqualTo("access_denied");
    assertThat(UpstreamErrors.code("x\" injected=1\n")).isEqualTo("xinjected1");
    assertThat(UpstreamErrors.code("ÄÖ")).isEqualTo("unknown");
    assertThat(UpstreamErrors.code(null)).isEqualTo("unknown");
    assertThat(UpstreamErrors.code("a".repeat(100))).hasSize(40);
  }

  @Test
  void amrSaysHowTheSessionBegan() {
    assertThat(new ClientGrant("c", "openid", Instant.EPOCH, null, "upstream:corp").amr())
        .isEqualTo("fed");
    assertThat(new ClientGrant("c", "openid", Instant.EPOCH, null, "session").amr())
        .isEqualTo("pwd");
    assertThat(new ClientGrant("c", "openid", Instant.EPOCH, null, null).amr()).isEqualTo("pwd");
  }

  @Test
  void emailVerifiedAcceptsTheBooleanAndItsString() {
    assertThat(IdTokens.verified(Boolean.TRUE)).isTrue();
    assertThat(IdTokens.verified("true")).isTrue();
    assertThat(IdTokens.verified("false")).isFalse();
    assertThat(IdTokens.verified(null)).isFalse();
    assertThat(IdTokens.verified(1)).isFalse();
  }
}
