package dev.portcullis.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.problem.ErrorCode;
import dev.portcullis.problem.ProblemException;
import org.junit.jupiter.api.Test;

/** What the password-change step of sign-in says for each refusal. */
class PasswordChangeBackingTest {

  @Test
  void namesThePolicysReasonAsASentenceAboutTheNewPassword() {
    assertThat(
            PasswordChangeBacking.messageFor(
                ProblemException.validation(
                    "password is one of the 100,000 most common passwords; choose a less guessable one")))
        .isEqualTo(
            "The new password is one of the 100,000 most common passwords; choose a less guessable one.");
    assertThat(
            PasswordChangeBacking.messageFor(
                ProblemException.validation("password must be at least 12 characters")))
        .isEqualTo("The new password must be at least 12 characters.");
    assertThat(
            PasswordChangeBacking.messageFor(
                ProblemException.validation("the new password must differ from the current one")))
        .isEqualTo("The new password must differ from the current one.");
    assertThat(
            PasswordChangeBacking.messageFor(
                ProblemException.validation("password must not be the username or e-mail address")))
        .isEqualTo("The new password must not be the username or e-mail address.");
  }

  @Test
  void aWrongCurrentPasswordGetsTheLoginPagesGenericMessage() {
    assertThat(
            PasswordChangeBacking.messageFor(
                new ProblemException(
                    ErrorCode.INVALID_CREDENTIALS, "Invalid username or password")))
        .isEqualTo(LoginBacking.FAILED);
  }

  @Test
  void limitsAndOutagesSayWhatTheLoginPageSays() {
    assertThat(
            PasswordChangeBacking.messageFor(
                new ProblemException(ErrorCode.RATE_LIMITED, "Too many requests")))
        .isEqualTo(LoginBacking.RATE_LIMITED);
    assertThat(PasswordChangeBacking.messageFor(ProblemException.unavailable()))
        .isEqualTo("Sign-in is temporarily unavailable. Try again shortly.");
  }

  @Test
  void anUnexpectedDetailIsStillASentence() {
    assertThat(PasswordChangeBacking.policyMessage("something else")).isEqualTo("Something else.");
    assertThat(PasswordChangeBacking.policyMessage(null))
        .isEqualTo("The new password is not accepted.");
  }
}
