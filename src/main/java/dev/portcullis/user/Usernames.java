package dev.portcullis.user;

import dev.portcullis.problem.ProblemException;
import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Normalises and validates usernames and e-mail addresses.
 *
 * <p>Uniqueness and look-up use the key: NFKC, then case folding, then NFKC again, so that "Ａｌｉｃｅ"
 * (full-width), "alice" and "ALICE" are one account.
 */
public final class Usernames {

  private static final Pattern USERNAME = Pattern.compile("[\\p{L}\\p{N}._@+-]{1,64}");
  private static final Pattern EMAIL = Pattern.compile("[^\\s@]{1,64}@[^\\s@]{1,189}");

  private Usernames() {}

  /** The comparison key of a username or e-mail address. */
  public static String key(String value) {
    String folded = Normalizer.normalize(value, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    return Normalizer.normalize(folded, Normalizer.Form.NFKC);
  }

  /** The username as it will be stored, or a 400 problem saying why it is not acceptable. */
  public static String validUsername(String value) {
    String normalized = Normalizer.normalize(value.strip(), Normalizer.Form.NFKC);
    if (!USERNAME.matcher(normalized).matches()) {
      throw ProblemException.validation(
          "username must be 1-64 letters, digits or . _ @ + - characters");
    }
    return normalized;
  }

  /** The e-mail address as it will be stored, or a 400 problem. */
  public static String validEmail(String value) {
    String normalized = Normalizer.normalize(value.strip(), Normalizer.Form.NFKC);
    if (normalized.length() > User.EMAIL_MAX || !EMAIL.matcher(normalized).matches()) {
      throw ProblemException.validation("email is not a valid address");
    }
    return normalized;
  }
}
