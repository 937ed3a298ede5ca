package dev.portcullis.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TransportSecurityTest {

  private final TrustedProxies proxy = TrustedProxies.parse("10.0.0.5");

  @Test
  void tlsIsHttps() {
    assertThat(TransportSecurity.isHttps(true, "203.0.113.7", List.of(), proxy)).isTrue();
  }

  @Test
  void forwardedProtoCountsOnlyFromATrustedProxy() {
    assertThat(TransportSecurity.isHttps(false, "10.0.0.5", List.of("https"), proxy)).isTrue();
    assertThat(TransportSecurity.isHttps(false, "10.0.0.5", List.of("HTTPS"), proxy)).isTrue();
    assertThat(TransportSecurity.isHttps(false, "10.0.0.5", List.of("http"), proxy)).isFalse();
    assertThat(TransportSecurity.isHttps(false, "203.0.113.7", List.of("https"), proxy))
        .as("an untrusted client saying https")
        .isFalse();
    assertThat(TransportSecurity.isHttps(false, "10.0.0.5", List.of(), proxy)).isFalse();
  }

  @Test
  void onlyTheValueTheTrustedHopWroteCounts() {
    assertThat(TransportSecurity.isHttps(false, "10.0.0.5", List.of("https, http"), proxy))
        .as("the client wrote https, the proxy was reached over http")
        .isFalse();
    assertThat(TransportSecurity.isHttps(false, "10.0.0.5", List.of("http, https"), proxy))
        .as("the proxy appended https")
        .isTrue();
    assertThat(TransportSecurity.isHttps(false, "10.0.0.5", List.of("http,HTTPS "), proxy))
        .isTrue();
    assertThat(TransportSecurity.isHttps(false, "10.0.0.5", List.of("https", "http"), proxy))
        .as("with several headers, the last")
        .isFalse();
    assertThat(TransportSecurity.isHttps(false, "10.0.0.5", List.of("http", "https"), proxy))
        .isTrue();
    assertThat(TransportSecurity.isHttps(false, "10.0.0.5", List.of("https,"), proxy))
        .as("an empty last entry is not https")
        .isFalse();
  }

  @Test
  void onlyLoopbackMayUsePlainHttp() {
    assertThat(TransportSecurity.isLoopback("127.0.0.1")).isTrue();
    assertThat(TransportSecurity.isLoopback("127.8.9.10")).isTrue();
    assertThat(TransportSecurity.isLoopback("::1")).isTrue();
    assertThat(TransportSecurity.isLoopback("0:0:0:0:0:0:0:1")).isTrue();
    assertThat(TransportSecurity.isLoopback("10.0.0.5")).isFalse();
    assertThat(TransportSecurity.isLoopback("192.168.1.20")).isFalse();
    assertThat(TransportSecurity.isLoopback("localhost")).as("never resolved").isFalse();
    assertThat(TransportSecurity.isLoopback(null)).isFalse();
  }
}
