package dev.portcullis.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.config.InvalidSettingException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressesTest {

  private static final TrustedProxies PROXIES = TrustedProxies.parse("10.0.0.0/8, 192.0.2.7, ::1");

  @Test
  void usesThePeerWhenNoProxyIsTrusted() {
    assertThat(ClientAddresses.resolve("203.0.113.5", List.of("198.51.100.1"), TrustedProxies.NONE))
        .isEqualTo("203.0.113.5");
  }

  @Test
  void ignoresForwardedForSpoofedByAnUntrustedPeer() {
    assertThat(ClientAddresses.resolve("203.0.113.5", List.of("198.51.100.1, 10.0.0.1"), PROXIES))
        .isEqualTo("203.0.113.5");
  }

  @Test
  void takesTheRightMostUntrustedHopBehindTrustedProxies() {
    // The client prepended a fake 1.2.3.4; the edge proxy 10.1.1.1 appended the real peer.
    assertThat(
            ClientAddresses.resolve(
                "10.0.0.2", List.of("1.2.3.4, 198.51.100.9", "10.1.1.1"), PROXIES))
        .isEqualTo("198.51.100.9");
  }

  @Test
  void trustedPeerWithoutHeaderIsTheClient() {
    assertThat(ClientAddresses.resolve("192.0.2.7", List.of(), PROXIES)).isEqualTo("192.0.2.7");
  }

  @Test
  void garbageHopStopsAtTheLastTrustedAddress() {
    assertThat(ClientAddresses.resolve("10.0.0.2", List.of("evil.example.com"), PROXIES))
        .isEqualTo("10.0.0.2");
    assertThat(ClientAddresses.resolve("10.0.0.2", List.of("1.2.3.4, 999.1.1.1"), PROXIES))
        .isEqualTo("10.0.0.2");
  }

  @Test
  void allTrustedChainGivesTheLeftMostHop() {
    assertThat(ClientAddresses.resolve("10.0.0.2", List.of("10.9.9.9, 10.0.0.3"), PROXIES))
        .isEqualTo("10.9.9.9");
  }

  @Test
  void ipv6IsCanonicalisedAndMatched() {
    assertThat(ClientAddresses.resolve("0:0:0:0:0:0:0:1", List.of("[2001:db8::5]"), PROXIES))
        .isEqualTo("2001:db8:0:0:0:0:0:5");
    assertThat(PROXIES.contains("0:0::1")).isTrue();
    assertThat(PROXIES.contains("::2")).isFalse();
  }

  @Test
  void cidrBlocksMatchOnTheirPrefixOnly() {
    var block = TrustedProxies.parse("172.16.0.0/12");
    assertThat(block.contains("172.31.255.255")).isTrue();
    assertThat(block.contains("172.32.0.0")).isFalse();
    assertThat(block.contains("not-an-ip")).isFalse();
  }

  @Test
  void refusesHostNamesAndBadPrefixesInTheSetting() {
    assertThatThrownBy(() -> TrustedProxies.parse("proxy.internal"))
        .isInstanceOf(InvalidSettingException.class);
    assertThatThrownBy(() -> TrustedProxies.parse("10.0.0.0/33"))
        .isInstanceOf(InvalidSettingException.class);
  }
}
