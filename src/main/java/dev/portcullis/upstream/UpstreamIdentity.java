package dev.portcullis.upstream;

/**
 * Who the upstream provider says signed in, after every check ({@link IdTokens} for OpenID
 * providers, the user API for GitHub). Immutable.
 *
 * @param issuer the provider's issuer (the link key's first half)
 * @param subject the provider's stable id of the account (the link key's second half)
 * @param email the e-mail address the provider gave, or null
 * @param emailVerified whether the provider says it verified that address
 * @param preferredUsername a username suggestion ({@code preferred_username}, GitHub's {@code
 *     login}), or null
 * @param name the display name, or null
 */
public record UpstreamIdentity(
    String issuer,
    String subject,
    String email,
    boolean emailVerified,
    String preferredUsername,
    String name) {

  private static final int EMAIL_MAX = 254;

  /** The e-mail address to show beside a link: null when absent or too long to store. */
  String emailForDisplay() {
    return email == null || email.length() > EMAIL_MAX ? null : email;
  }
}
