package dev.portcullis.login;

import dev.portcullis.signin.UserSignIns;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.List;
import java.util.UUID;

/**
 * The account page's sign-ins form: the user's browser sessions and API logins ({@link
 * UserSignIns}, the same list {@code GET /api/v1/sessions} gives), "sign out this session" and
 * "sign out everywhere else".
 */
@Named("accountSessions")
@RequestScoped
public class AccountSessionsBacking {

  @Inject AccountBacking account;
  @Inject UserSignIns signIns;

  private String message;

  public List<UserSignIns.SignIn> getSessions() {
    return account.caller() == null ? List.of() : signIns.of(account.caller());
  }

  public void endSession(String id) {
    if (!account.signedIn()) {
      return;
    }
    signIns.end(account.caller(), UUID.fromString(id), account.client());
    message = "Session signed out.";
  }

  public void endOtherSessions() {
    if (!account.signedIn()) {
      return;
    }
    var caller = account.caller();
    signIns.endOthers(caller, UUID.fromString(caller.sessionId()), account.client());
    message = "Every other session is signed out.";
  }

  public String getMessage() {
    return message;
  }
}
