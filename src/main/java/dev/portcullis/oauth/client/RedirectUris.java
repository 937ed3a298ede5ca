package dev.portcullis.oauth.client;

import dev.portcullis.problem.ProblemException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The rules a registered redirect URI (and post-logout redirect URI) must follow, checked when a
 * client is registered or changed. Matching a requested URI against the registered ones is {@link
 * RegisteredClient#allowsRedirect}: exact, so these rules are what keeps a registration from naming
 * a target an attacker could reach.
 *
 * <ul>
 *   <li>at most {@value #MAX_LENGTH} printable ASCII characters (no spaces, no non-ASCII: exact
 *       matching must not depend on how a browser encodes them);
 *   <li>absolute and hierarchical ({@code scheme:/…}), lower-case scheme, no fragment (RFC 6749
 *       3.1.2), no user information ({@code https://user@host/} reads as another host to people);
 *   <li>{@code https} with a host; or {@code http} only on a loopback host, {@code 127.0.0.1},
 *       {@code [::1]} or {@code localhost} (RFC 8252 7.3, RFC 9700 2.6: nothing crosses a network
 *       in clear text); or, for public clients only, a private-use scheme containing a dot such as
 *       {@code com.example.app:/callback} (RFC 8252 7.1: a reverse domain name the app's owner
 *       controls) — a confidential client is a server and has no use for one;
 *   <li>at most {@value #MAX_COUNT} per list; a URI named twice counts once.
 * </ul>
 *
 * Stateless, thread-safe.
 */
final class RedirectUris {

  static final int MAX_LENGTH = 512;
  static final int MAX_COUNT = 20;

  private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "[::1]", "localhost");

  private RedirectUris() {}

  /**
   * The URIs of list {@code field}, each checked, without repeats, in the order given.
   *
   * @throws ProblemException 400 {@code VALIDATION_FAILED} naming the field and the URI's index
   */
  static List<String> valid(List<String> uris, boolean publicClient, String field) {
    if (uris.size() > MAX_COUNT) {
      throw ProblemException.validation(field + " may name at most " + MAX_COUNT + " URIs");
    }
    var valid = new LinkedHashSet<String>();
    for (int i = 0; i < uris.size(); i++) {
      valid.add(valid(uris.get(i), publicClient, field + "[" + i + "]"));
    }
    return new ArrayList<>(valid);
  }

  /** One URI, checked; {@code field} names it in the error. */
  static String valid(String uri, boolean publicClient, String field) {
    if (uri.isEmpty() || uri.length() > MAX_LENGTH) {
      throw invalid(field, "must be 1-" + MAX_LENGTH + " characters");
    }
    if (uri.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      throw invalid(field, "must be printable ASCII without spaces (percent-encode the rest)");
    }
    if (uri.indexOf('#') >= 0) {
      throw invalid(field, "must not have a fragment (RFC 6749 3.1.2)");
    }
    URI parsed;
    try {
      parsed = new URI(uri);
    } catch (URISyntaxException e) {
      throw invalid(field, "is not a valid URI");
    }
    if (!parsed.isAbsolute() || parsed.isOpaque()) {
      throw invalid(field, "must be an absolute URI such as https://app.example.com/callback");
    }
    String scheme = parsed.getScheme();
    if (!scheme.equals(scheme.toLowerCase(Locale.ROOT))) {
      throw invalid(field, "must spell its scheme in lower case");
    }
    String authority = parsed.getRawAuthority();
    if (parsed.getRawUserInfo() != null || (authority != null && authority.indexOf('@') >= 0)) {
      throw invalid(field, "must not carry user information (user@host)");
    }
    switch (scheme) {
      case "https" -> {
        if (parsed.getHost() == null) {
          throw invalid(field, "must name a host");
        }
      }
      case "http" -> {
        if (parsed.getHost() == null || !LOOPBACK_HOSTS.contains(parsed.getHost())) {
          throw invalid(
              field,
              "may use http only on a loopback host (127.0.0.1, [::1], localhost); use https");
        }
      }
      default -> {
        if (scheme.indexOf('.') < 0) {
          throw invalid(
              field,
              "must use https, http on a loopback host, or (public clients only) a private-use"
                  + " scheme such as com.example.app:/callback");
        }
        if (!publicClient) {
          throw invalid(
              field,
              "uses a private-use scheme, which is for public (native) clients only (RFC 8252 7.1)");
        }
      }
    }
    return uri;
  }

  private static ProblemException invalid(String field, String problem) {
    return ProblemException.validation(field + " " + problem);
  }
}
