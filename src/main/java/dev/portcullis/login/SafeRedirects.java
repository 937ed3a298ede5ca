package dev.portcullis.login;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where a browser may be sent after login: only a path on this site. Anything else — an absolute
 * URL, a scheme-relative {@code //host}, a backslash trick ({@code /\host}, which browsers read as
 * {@code //host}), control characters, anything longer than {@value #MAX_LENGTH} characters — falls
 * back to {@code /account} (open-redirect defence, RFC 9700 4.11).
 */
public final class SafeRedirects {

  static final String FALLBACK = "/account";

  /**
   * The longest target kept: room for an OAuth authorization request ({@code /oauth2/authorize?...}
   * with its state, nonce, PKCE challenge and redirect URI) that a visitor without a session is
   * sent to sign in for, well under the 8 KB a request line may have.
   */
  static final int MAX_LENGTH = 4096;

  private SafeRedirects() {}

  /** {@code next} if it is a local path, otherwise the account page. */
  public static String localTarget(String next) {
    if (next == null
        || next.isEmpty()
        || next.length() > MAX_LENGTH
        || next.charAt(0) != '/'
        || next.startsWith("//")
        || next.indexOf('\\') >= 0
        || next.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
      return FALLBACK;
    }
    try {
      var uri = new URI(next);
      if (uri.getScheme() != null
          || uri.getRawAuthority() != null
          || uri.getRawPath() == null
          || !uri.getRawPath().startsWith("/")
          || uri.getRawPath().startsWith("//")) {
        return FALLBACK;
      }
    } catch (URISyntaxException e) {
      return FALLBACK;
    }
    String lower = next.toLowerCase();
    if (lower.startsWith("/login") || lower.startsWith("/logout")) {
      return FALLBACK;
    }
    return next;
  }
}
