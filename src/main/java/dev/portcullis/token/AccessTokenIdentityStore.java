package dev.portcullis.token;

import dev.portcullis.authentication.AuthMethod;
import dev.portcullis.authentication.Caller;
import dev.portcullis.authentication.PortcullisPrincipal;
import dev.portcullis.authentication.Rejection;
import dev.portcullis.user.UserSnapshot;
import dev.portcullis.user.UserSnapshots;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.credential.Credential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;
import java.util.HashSet;
import java.util.Set;

/**
 * Validates bearer access tokens: signature and claims ({@link AccessTokens}), then revocation
 * ({@link RevokedSessions}) and the user's current state ({@link UserSnapshots}), all from memory.
 *
 * <p>The caller's groups are the token's groups that the user still holds, so removing a role takes
 * effect at once, before the token expires. Foreign credential types are not validated here.
 */
@ApplicationScoped
public class AccessTokenIdentityStore implements IdentityStore {

  @Inject AccessTokens tokens;
  @Inject RevokedSessions revoked;
  @Inject UserSnapshots users;

  /** Validates and provides groups: a validate-only store's groups are discarded by the handler. */
  @Override
  public Set<ValidationType> validationTypes() {
    return DEFAULT_VALIDATION_TYPES;
  }

  @Override
  public CredentialValidationResult validate(Credential credential) {
    if (!(credential instanceof BearerTokenCredential bearer)) {
      return CredentialValidationResult.NOT_VALIDATED_RESULT;
    }
    AccessToken token;
    try {
      token = tokens.verify(bearer.token());
    } catch (InvalidTokenException e) {
      bearer.reject(
          e.expired() ? Rejection.expired() : Rejection.invalid("The access token is not valid"));
      return CredentialValidationResult.INVALID_RESULT;
    }
    if (revoked.isRevoked(token.sessionId())) {
      bearer.reject(Rejection.invalid("The access token has been revoked"));
      return CredentialValidationResult.INVALID_RESULT;
    }
    var user = users.get(token.subject()).filter(UserSnapshot::isActive);
    if (user.isEmpty()) {
      bearer.reject(Rejection.invalid("The access token has been revoked"));
      return CredentialValidationResult.INVALID_RESULT;
    }
    var groups = new HashSet<>(token.groups());
    groups.retainAll(user.get().roles());
    var caller =
        new Caller(
            user.get().id(),
            user.get().username(),
            Set.copyOf(groups),
            AuthMethod.JWT,
            token.sessionId(),
            token.tokenId());
    return new CredentialValidationResult(new PortcullisPrincipal(caller), groups);
  }
}
