package dev.portcullis.login;

import java.util.Map;

/**
 * What each OAuth scope lets an application do, in words a user understands on the consent page and
 * the account page (SPEC 3.6 names the scopes). A scope without a description of its own is shown
 * by its name. Thread-safe.
 */
public final class ScopeDescriptions {

  private static final Map<String, String> DESCRIPTIONS =
      Map.of(
          "openid", "Sign you in",
          "profile", "Your name and username",
          "email", "Your e-mail address",
          "offline_access", "Stay signed in (refresh tokens)",
          "groups", "Your roles");

  private ScopeDescriptions() {}

  /** The description of {@code scope}, or the scope itself when it has none. */
  public static String describe(String scope) {
    return DESCRIPTIONS.getOrDefault(scope, scope);
  }
}
