package dev.portcullis.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiKeyReaderTest {

  @Test
  void anAudienceIsNamedOnlyOnForwardAuthFromATrustedProxy() {
    assertThat(ApiKeyReader.forwardAuthByTrustedProxy("/api/v1/auth/verify", true)).isTrue();
    assertThat(ApiKeyReader.forwardAuthByTrustedProxy("/api/v1/auth/verify", false))
        .as("the client itself")
        .isFalse();
    assertThat(ApiKeyReader.forwardAuthByTrustedProxy("/api/v1/me", true))
        .as("Portcullis' own API, even through the proxy")
        .isFalse();
    assertThat(ApiKeyReader.forwardAuthByTrustedProxy("/api/v1/keys", true)).isFalse();
  }
}
