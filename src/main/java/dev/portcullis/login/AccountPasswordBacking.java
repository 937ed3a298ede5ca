package dev.portcullis.login;

import dev.portcullis.caller.AuthMethod;
import dev.portcullis.problem.ErrorCode;
import dev.portcullis.problem.ProblemException;
import dev.portcullis.session.SessionCookies;
import dev.portcullis.session.SessionService;
import dev.portcullis.signin.KnownDevices;
import dev.portcullis.signin.PasswordLogins;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/** The account page's password form. */
@Named("accountPassword")
@RequestScoped
public class AccountPasswordBacking {

  @Inject AccountBacking account;
  @Inject SessionService sessions;
  @Inject PasswordLogins logins;

  private String currentPassword;
  private String newPassword;
  private String message;
  private boolean passwordSet;

  /**
   * Changes the password; every session ends, and this browser gets a fresh one, started in the
   * change's transaction. Verification and replacement are one step against concurrent changes: if
   * the account changed in between, the change is refused like a wrong current password.
   */
  public void changePassword() {
    if (!account.signedIn()) {
      return;
    }
    var client = account.client();
    try {
      var started =
          logins.changePassword(
              account.user().username(),
              currentPassword == null ? "" : currentPassword,
              newPassword == null ? "" : newPassword,
              client,
              KnownDevices.read(account.request()).orElse(null),
              changed -> sessions.start(changed.id(), client, AuthMethod.SESSION.wireName()));
      SessionCookies.set(account.response(), started.cookieValue());
      message = "Password changed. Every other session was signed out.";
      account.continueAs(started.cookieValue());
    } catch (ProblemException e) {
      message =
          e.code() == ErrorCode.INVALID_CREDENTIALS
              ? "The current password is wrong."
              : e.problem().detail();
    } finally {
      currentPassword = null;
      newPassword = null;
    }
  }

  /**
   * Sets the first password of an account made at an upstream sign-in (it has none), allowed from a
   * session that signed in within the last 10 minutes ({@link PasswordLogins#setFirstPassword}).
   */
  public void setFirstPassword() {
    if (!account.signedIn()) {
      return;
    }
    var client = account.client();
    try {
      var started =
          logins.setFirstPassword(
              account.caller().userId(),
              account.session() == null ? null : account.session().createdAt(),
              newPassword == null ? "" : newPassword,
              client,
              changed -> sessions.start(changed.id(), client, AuthMethod.SESSION.wireName()));
      SessionCookies.set(account.response(), started.cookieValue());
      message = "Password set. You can now sign in with it too.";
      passwordSet = true;
      account.continueAs(started.cookieValue());
    } catch (ProblemException e) {
      message = e.problem().detail();
    } finally {
      currentPassword = null;
      newPassword = null;
    }
  }

  /** Whether the account has no password yet (made at an upstream sign-in). */
  public boolean isWithoutPassword() {
    return !passwordSet
        && account.signedIn()
        && account.user() != null
        && account.user().passwordHash() == null;
  }

  public String getCurrentPassword() {
    return currentPassword;
  }

  public void setCurrentPassword(String currentPassword) {
    this.currentPassword = currentPassword;
  }

  public String getNewPassword() {
    return newPassword;
  }

  public void setNewPassword(String newPassword) {
    this.newPassword = newPassword;
  }

  public String getMessage() {
    return message;
  }
}
