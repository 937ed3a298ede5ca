package dev.portcullis.web;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Where a request came from, as recorded in audit events and sessions.
 *
 * @param ip the client address: the direct peer, or the right-most untrusted {@code
 *     X-Forwarded-For} hop when the peer is a trusted proxy ({@link ClientAddresses})
 * @param userAgent the {@code User-Agent}, clipped to 256 characters
 * @param requestId the request's id ({@link RequestIds}), or null outside a request
 */
public record ClientInfo(String ip, String userAgent, String requestId) {

  public static final ClientInfo SYSTEM = new ClientInfo(null, null, null);

  public ClientInfo(String ip, String userAgent) {
    this(ip, userAgent, null);
  }

  public static ClientInfo of(HttpServletRequest request) {
    String agent = request.getHeader("User-Agent");
    if (agent != null && agent.length() > 256) {
      agent = agent.substring(0, 256);
    }
    return new ClientInfo(ClientAddresses.of(request), agent, RequestIds.of(request));
  }
}
