package dev.portcullis.web;

import dev.portcullis.config.Settings;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Cross-origin access to the JSON API and the JWKS: closed unless {@code
 * portcullis.cors.allowed-origins} names the origin exactly. Allowed origins may send bearer tokens
 * and API keys; credentials (the session cookie) are never allowed cross-origin, so {@code
 * Access-Control-Allow-Credentials} is never sent.
 */
@WebFilter(
    urlPatterns = {"/api/*", "/.well-known/*"},
    asyncSupported = true)
public class CorsFilter extends HttpFilter {

  private static final long serialVersionUID = 1L;

  @Inject transient Settings settings;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String origin = request.getHeader("Origin");
    response.addHeader("Vary", "Origin");
    if (origin == null || !settings.corsAllowedOrigins().contains(origin)) {
      chain.doFilter(request, response);
      return;
    }
    response.setHeader("Access-Control-Allow-Origin", origin);
    if ("OPTIONS".equals(request.getMethod())
        && request.getHeader("Access-Control-Request-Method") != null) {
      response.setHeader("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE");
      response.setHeader(
          "Access-Control-Allow-Headers", "Authorization, Content-Type, X-API-Key, X-Audience");
      response.setHeader("Access-Control-Max-Age", "600");
      response.setStatus(HttpServletResponse.SC_NO_CONTENT);
      return;
    }
    chain.doFilter(request, response);
  }
}
