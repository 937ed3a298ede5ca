package dev.portcullis.web;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Whether a request reached Portcullis over HTTPS, as far as it can know: the connection itself is
 * TLS, or a trusted proxy ({@code portcullis.trusted-proxies}) says {@code X-Forwarded-Proto:
 * https}. Plain HTTP is tolerated from loopback only (local development, a co-located proxy), so
 * credentials never cross a network in clear text.
 */
public final class TransportSecurity {

  static final String FORWARDED_PROTO = "X-Forwarded-Proto";

  private TransportSecurity() {}

  /** Whether the client's request was HTTPS (directly, or at a trusted proxy). */
  public static boolean isHttps(HttpServletRequest request) {
    return isHttps(
        request.isSecure(),
        request.getRemoteAddr(),
        request.getHeader(FORWARDED_PROTO),
        ClientAddresses.trustedProxies());
  }

  /** Whether a credential may be sent over this request's transport. */
  public static boolean acceptable(HttpServletRequest request) {
    return isHttps(request) || isLoopback(request.getRemoteAddr());
  }

  static boolean isHttps(
      boolean secure, String peer, String forwardedProto, TrustedProxies trusted) {
    if (secure) {
      return true;
    }
    if (forwardedProto == null) {
      return false;
    }
    String canonical = TrustedProxies.canonical(peer).orElse(peer);
    String proto = forwardedProto.split(",")[0].strip();
    return trusted.contains(canonical) && proto.equalsIgnoreCase("https");
  }

  static boolean isLoopback(String peer) {
    if (peer == null || !peer.matches("[0-9a-fA-F:.]+")) {
      return false;
    }
    try {
      return InetAddress.getByName(peer).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
