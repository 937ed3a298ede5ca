package dev.portcullis.user;

import dev.portcullis.config.Settings;
import dev.portcullis.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The rules a new password must meet: a minimum length, a maximum length checked before any hashing
 * (no truncation, no hashing-cost attack), not the username or e-mail, and not one of the 100,000
 * most common passwords ({@link CommonPasswords}). Lengths count Unicode code points; comparisons
 * use the NFKC, lower-cased form.
 */
@ApplicationScoped
public class PasswordPolicy {

  @Inject Settings settings;
  @Inject CommonPasswords common;

  /** Refuses input longer than the maximum, before it is hashed or compared. */
  public void checkLength(String password) {
    if (password.codePointCount(0, password.length()) > settings.passwordMaxLength()) {
      throw ProblemException.validation(
          "password must be at most " + settings.passwordMaxLength() + " characters");
    }
  }

  /** Checks a password that is about to be set for {@code username} / {@code email}. */
  public void checkNew(String password, String username, String email) {
    checkLength(password);
    if (password.codePointCount(0, password.length()) < settings.passwordMinLength()) {
      throw ProblemException.validation(
          "password must be at least " + settings.passwordMinLength() + " characters");
    }
    String folded = Usernames.key(password);
    if (folded.equals(Usernames.key(username))
        || (email != null && folded.equals(Usernames.key(email)))) {
      throw ProblemException.validation("password must not be the username or e-mail address");
    }
    if (folded.strip().isEmpty() || common.contains(password)) {
      throw ProblemException.validation(
          "password is one of the 100,000 most common passwords; choose a less guessable one");
    }
  }
}
