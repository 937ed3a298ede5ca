package dev.portcullis.page;

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
public class AccountSessionsForm {

  @Inject AccountPage page;
  @Inject UserSignIns signIns;

  private String message;

  public List<UserSignIns.SignIn> getSessions() {
    return page.caller() == null ? List.of() : signIns.of(page.caller());
  }

  public void endSession(String id) {
    if (!page.signedIn()) {
      return;
    }
    signIns.end(page.caller(), UUID.fromString(id), page.client());
    message = "Session signed out.";
  }

  public void endOtherSessions() {
    if (!page.signedIn()) {
      return;
    }
    var caller = page.caller();
    signIns.endOthers(caller, UUID.fromString(caller.sessionId()), page.client());
    message = "Every other session is signed out.";
  }

  public String getMessage() {
    return message;
  }
}
