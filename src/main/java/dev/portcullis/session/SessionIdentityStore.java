package dev.portcullis.session;

import dev.portcullis.caller.AuthMethod;
import dev.portcullis.caller.Caller;
import dev.portcullis.caller.PortcullisPrincipal;
import dev.portcullis.credential.Rejection;
import dev.portcullis.problem.ErrorCode;
import dev.portcullis.user.UserSnapshot;
import dev.portcullis.user.UserSnapshots;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.credential.Credential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;
import java.util.Set;

/** Validates session cookies: a live session of an active user; groups are the user's roles. */
@ApplicationScoped
public class SessionIdentityStore implements IdentityStore {

  @Inject SessionService sessions;
  @Inject UserSnapshots users;

  @Override
  public CredentialValidationResult validate(Credential credential) {
    if (!(credential instanceof SessionCredential cookie)) {
      return CredentialValidationResult.NOT_VALIDATED_RESULT;
    }
    var session = sessions.validate(cookie.value());
    var user = session.flatMap(s -> users.get(s.userId())).filter(UserSnapshot::isActive);
    if (user.isEmpty()) {
      cookie.reject(new Rejection(ErrorCode.SESSION_ENDED, "The session has ended"));
      return CredentialValidationResult.INVALID_RESULT;
    }
    var roles = user.get().roles();
    var caller =
        new Caller(
            user.get().id(),
            user.get().username(),
            Set.copyOf(roles),
            AuthMethod.SESSION,
            session.get().id().toString(),
            session.get().id().toString());
    return new CredentialValidationResult(new PortcullisPrincipal(caller), roles);
  }
}
