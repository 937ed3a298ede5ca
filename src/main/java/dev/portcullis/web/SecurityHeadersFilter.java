package dev.portcullis.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;

/**
 * Browser-hardening headers on every response (SPEC 3.5, OWASP Secure Headers): a strict
 * Content-Security-Policy without inline script, no framing, no MIME sniffing, no Referer, no
 * caching of anything but static assets, and HSTS when served over HTTPS.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class SecurityHeadersFilter extends HttpFilter {

  private static final long serialVersionUID = 1L;

  static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self'; "
          + "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
          + "object-src 'none'";

  /**
   * The policy with {@code sources} allowed as form targets beside {@code 'self'}: for a page whose
   * form posts to this site and is answered with a redirect to another one (an OAuth client's
   * redirect URI), since Chromium and Safari check {@code form-action} against every redirect a
   * form submission follows (w3c/webappsec-csp#8). Each source must be a CSP scheme or host source
   * made from a URI this server accepted (letters, digits, {@code + - . : / [ ]} only).
   *
   * @throws IllegalArgumentException for a source with any other character
   */
  public static String policyWithFormTargets(List<String> sources) {
    var extra = new StringBuilder();
    for (String source : sources) {
      if (source.isEmpty() || !source.chars().allMatch(SecurityHeadersFilter::sourceChar)) {
        throw new IllegalArgumentException("not a CSP source");
      }
      extra.append(' ').append(source);
    }
    return CSP.replace("form-action 'self'", "form-action 'self'" + extra);
  }

  private static boolean sourceChar(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "+-.:/[]".indexOf(c) >= 0;
  }

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    response.setHeader("Content-Security-Policy", CSP);
    response.setHeader("X-Frame-Options", "DENY");
    response.setHeader("X-Content-Type-Options", "nosniff");
    // same-origin, not no-referrer: under no-referrer a browser sends "Origin: null" on its own
    // form posts, and one without Fetch Metadata (Safari before 16.4) could not prove they were
    // ours (CsrfProtection); no URL of ours carries a secret, and other sites still get nothing
    response.setHeader("Referrer-Policy", "same-origin");
    String path = RequestPaths.of(request);
    if (!path.startsWith("/static/") && !path.startsWith("/.well-known/")) {
      response.setHeader("Cache-Control", "no-store");
    }
    if (TransportSecurity.isHttps(request)) {
      response.setHeader("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
    }
    chain.doFilter(request, response);
  }
}
