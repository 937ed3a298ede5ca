package dev.portcullis.oauth;

import dev.portcullis.user.UserSnapshot;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jose4j.jwt.JwtClaims;

/**
 * The user claims each scope grants, for ID tokens and {@code /oauth2/userinfo} (OpenID Connect
 * Core 5.4): {@code profile} → {@code name}, {@code preferred_username}; {@code email} → {@code
 * email}, {@code email_verified}; {@code groups} → {@code groups} (the user's roles now). Nothing
 * else about the user is ever released.
 */
final class UserClaims {

  private UserClaims() {}

  /** The claims of {@code scopes} for {@code user}, {@code sub} excluded. */
  static Map<String, Object> of(UserSnapshot user, Set<String> scopes) {
    var claims = new TreeMap<String, Object>();
    if (scopes.contains(Scopes.PROFILE)) {
      claims.put("name", user.username());
      claims.put("preferred_username", user.username());
    }
    if (scopes.contains(Scopes.EMAIL) && user.email() != null) {
      claims.put("email", user.email());
      claims.put("email_verified", false);
    }
    if (scopes.contains(Scopes.GROUPS)) {
      claims.put("groups", List.copyOf(new TreeSet<>(user.roles())));
    }
    return claims;
  }

  static void add(JwtClaims target, UserSnapshot user, Set<String> scopes) {
    of(user, scopes).forEach(target::setClaim);
  }
}
