package dev.portcullis.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientTokensTest {

  @Test
  void atHashIsTheLeftHalfOfTheSha256OfTheToken() {
    // OpenID Connect Core, appendix A.3/A.4 example pair
    assertThat(ClientTokens.leftHalfHash("jHkWEdUXMU1BwAsC4vtUsZwnNmzwTVjFSk5dIqjZRr0"))
        .hasSize(22);
    assertThat(ClientTokens.leftHalfHash("a")).isNotEqualTo(ClientTokens.leftHalfHash("b"));
  }
}
