package dev.portcullis.login;

/**
 * What the login and account pages say about an upstream sign-in or link that came back ({@link
 * dev.portcullis.upstream.UpstreamSignIns} lists the outcomes): the provider is named by its
 * configured display name only, and an id or reason this server does not know gets the generic
 * sentence about "the provider" — a query parameter is never echoed. The pages print these through
 * Faces, which escapes them. Stateless.
 */
final class UpstreamMessages {

  /** The reason given when the provider did not answer in time or answered with an error. */
  static final String UNAVAILABLE = "unavailable";

  /** The reason given when this browser started too many sign-ins (the start endpoint's limit). */
  static final String RATE_LIMITED = "rate_limited";

  /** The reason given when the upstream account is already linked to another local account. */
  static final String TAKEN = "taken";

  private UpstreamMessages() {}

  /**
   * The login page's alert after a failed upstream sign-in: {@code unavailable} names the provider
   * and offers the password, {@code rate_limited} says what the password form says over its limit,
   * anything else is "did not complete".
   *
   * @param displayName the configured provider's display name, or null for an unknown id
   * @param reason the outcome's {@code error} parameter, as it came
   */
  static String signInFailed(String displayName, String reason) {
    if (RATE_LIMITED.equals(reason)) {
      return LoginBacking.RATE_LIMITED;
    }
    if (displayName != null && UNAVAILABLE.equals(reason)) {
      return displayName
          + " is not answering right now. Try again later, or sign in with your password.";
    }
    String name = displayName == null ? "the provider" : displayName;
    return "Sign-in with "
        + name
        + " did not complete. If you already have an account here, sign in with your password and"
        + " link "
        + name
        + " on your account page.";
  }

  /**
   * The account page's alert after a failed link.
   *
   * @param displayName the configured provider's display name, or null for an unknown id
   * @param reason the outcome's {@code error} parameter, as it came
   */
  static String linkFailed(String displayName, String reason) {
    if (TAKEN.equals(reason)) {
      return displayName == null
          ? "That account is already linked to another account here."
          : "That " + displayName + " account is already linked to another account here.";
    }
    if (UNAVAILABLE.equals(reason)) {
      return (displayName == null ? "The provider" : displayName)
          + " is not answering right now. Try again later.";
    }
    return "Linking " + (displayName == null ? "the provider" : displayName) + " did not complete.";
  }

  /** The account page's notice after a link succeeded. */
  static String linked(String displayName) {
    return "Linked " + displayName + ".";
  }
}
