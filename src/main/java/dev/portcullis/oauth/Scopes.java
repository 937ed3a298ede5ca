package dev.portcullis.oauth;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The OpenID Connect scopes Portcullis knows (SPEC 3.6) and the {@code scope} parameter's syntax
 * (RFC 6749 3.3: space-delimited, case-sensitive tokens).
 */
public final class Scopes {

  public static final String OPENID = "openid";
  public static final String PROFILE = "profile";
  public static final String EMAIL = "email";
  public static final String OFFLINE_ACCESS = "offline_access";
  public static final String GROUPS = "groups";

  /** Every scope the discovery document lists. */
  public static final Set<String> STANDARD = Set.of(OPENID, PROFILE, EMAIL, OFFLINE_ACCESS, GROUPS);

  private static final Pattern TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,64}");

  private Scopes() {}

  /**
   * The scopes of a {@code scope} parameter in their given order, duplicates dropped; null for a
   * value that is not a well-formed list (empty tokens, characters outside RFC 6749's NQCHAR).
   */
  public static Set<String> parse(String value) {
    if (value == null) {
      return Set.of();
    }
    if (value.length() > 1024) {
      return null;
    }
    var scopes = new LinkedHashSet<String>();
    for (String token : value.split(" ", -1)) {
      if (!TOKEN.matcher(token).matches()) {
        return null;
      }
      scopes.add(token);
    }
    return scopes;
  }

  /** The {@code scope} value for {@code scopes}. */
  public static String format(Set<String> scopes) {
    return String.join(" ", scopes);
  }

  /** {@link #parse} of a stored value known to be well formed. */
  public static Set<String> stored(String value) {
    return value == null || value.isEmpty()
        ? Set.of()
        : new LinkedHashSet<>(Arrays.asList(value.split(" ")));
  }
}
