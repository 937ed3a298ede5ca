package dev.portcullis.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The client address of a request, the one every audit event, session and rate limit uses.
 *
 * <p>The direct peer ({@code getRemoteAddr}) unless it is a configured trusted proxy ({@link
 * TrustedProxies}, {@code portcullis.trusted-proxies}); then {@code X-Forwarded-For} is read from
 * the right, skipping trusted proxies, and the first address that is not one is the client — the
 * right-most untrusted address. Everything left of it was written by the client and is ignored, so
 * a client cannot choose its own address by sending the header. A hop that is not an IP literal
 * ends the walk at the last trusted hop.
 *
 * <p>Usage: {@code String ip = ClientAddresses.of(request);} Thread-safe.
 */
public final class ClientAddresses {

  static final String HEADER = "X-Forwarded-For";

  private static volatile TrustedProxies configured;

  private ClientAddresses() {}

  public static String of(HttpServletRequest request) {
    return resolve(
        request.getRemoteAddr(), Collections.list(request.getHeaders(HEADER)), trustedProxies());
  }

  /** The configured trusted proxies, read once (and validated) from MicroProfile Config. */
  public static TrustedProxies trustedProxies() {
    var proxies = configured;
    if (proxies == null) {
      proxies =
          TrustedProxies.parse(
              ConfigProvider.getConfig()
                  .getOptionalValue("portcullis.trusted-proxies", String.class)
                  .orElse(""));
      configured = proxies;
    }
    return proxies;
  }

  /**
   * The client address given the peer, every {@code X-Forwarded-For} header value in order, and the
   * trusted proxies.
   */
  public static String resolve(String peer, List<String> forwardedFor, TrustedProxies trusted) {
    String client = TrustedProxies.canonical(peer).orElse(peer);
    if (!trusted.contains(client) || forwardedFor.isEmpty()) {
      return client;
    }
    var hops = new ArrayList<String>();
    for (String header : forwardedFor) {
      for (String hop : header.split(",")) {
        hops.add(hop.strip());
      }
    }
    for (int i = hops.size() - 1; i >= 0; i--) {
      var hop = TrustedProxies.canonical(hops.get(i));
      if (hop.isEmpty()) {
        return client;
      }
      client = hop.get();
      if (!trusted.contains(client)) {
        return client;
      }
    }
    return client;
  }
}
