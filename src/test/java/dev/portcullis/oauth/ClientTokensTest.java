package dev.portcullis.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientTokensTest {

  @Test
  void atHashIsTheLeftHalfOfTheSha256OfTheToken() {
    // computed independently: base64url(sha256(token)[:16]) with Python's hashlib
    assertThat(ClientTokens.leftHalfHash("jHkWEdUXMU1BwAsC4vtUsZwnNmzwTVjFSk5dIqjZRr0"))
        .isEqualTo("9rr_LF01oxJ6De2zX9CkiQ");
  }
}
