package dev.portcullis.web;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.List;

/**
 * Whether a request reached Portcullis over HTTPS, as far as it can know: the connection itself is
 * TLS, or a trusted proxy ({@code portcullis.trusted-proxies}) says {@code X-Forwarded-Proto:
 * https}. Plain HTTP is tolerated from loopback only (local development, a co-located proxy), so
 * credentials never cross a network in clear text.
 *
 * <p>Only the value the trusted hop wrote counts: the right-most entry of the last {@code
 * X-Forwarded-Proto} header. A proxy that appends (like {@code X-Forwarded-For}) puts its own value
 * last, and one that sets the header replaces whatever the client sent; either way everything to
 * the left came from further away, from the client itself at worst, so {@code X-Forwarded-Proto:
 * https, http} arriving from the proxy means the proxy was reached over plain HTTP.
 */
public final class TransportSecurity {

  static final String FORWARDED_PROTO = "X-Forwarded-Proto";

  private TransportSecurity() {}

  /** Whether the client's request was HTTPS (directly, or at a trusted proxy). */
  public static boolean isHttps(HttpServletRequest request) {
    return isHttps(
        request.isSecure(),
        request.getRemoteAddr(),
        Collections.list(request.getHeaders(FORWARDED_PROTO)),
        ClientAddresses.trustedProxies());
  }

  /** Whether a credential may be sent over this request's transport. */
  public static boolean acceptable(HttpServletRequest request) {
    return isHttps(request) || isLoopback(request.getRemoteAddr());
  }

  /**
   * The decision on the connection's facts.
   *
   * @param forwardedProto every {@code X-Forwarded-Proto} header value, in the order received
   */
  static boolean isHttps(
      boolean secure, String peer, List<String> forwardedProto, TrustedProxies trusted) {
    if (secure) {
      return true;
    }
    if (forwardedProto.isEmpty()) {
      return false;
    }
    String canonical = TrustedProxies.canonical(peer).orElse(peer);
    String last = forwardedProto.get(forwardedProto.size() - 1);
    String proto = last.substring(last.lastIndexOf(',') + 1).strip();
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
