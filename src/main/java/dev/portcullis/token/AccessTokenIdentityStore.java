package dev.portcullis.token;

import dev.portcullis.audit.AuditEventType;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.audit.Refusals;
import dev.portcullis.caller.AuthMethod;
import dev.portcullis.caller.Caller;
import dev.portcullis.caller.PortcullisPrincipal;
import dev.portcullis.credential.Rejection;
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
 * ({@link RevokedFamilies}) and the user's current state ({@link UserSnapshots}), all from memory.
 *
 * <p>The caller's groups are the token's groups that the user still holds, so removing a role takes
 * effect at once, before the token expires. Foreign credential types are not validated here.
 *
 * <p>Every refusal is an {@link AuditEventType#ACCESS_TOKEN_REFUSED} event, aggregated per source
 * ({@link Refusals}), with its reason: {@code EXPIRED}, {@code MALFORMED}, {@code MALFORMED_CLAIM},
 * {@code INVALID} (signature, issuer, audience, type…), {@code REVOKED_SID} (the token of a session
 * that was logged out, reused or revoked — someone holds a token its owner gave up; the detail
 * names the {@code sid}) or {@code USER_INACTIVE}.
 */
@ApplicationScoped
public class AccessTokenIdentityStore implements IdentityStore {

  @Inject AccessTokens tokens;
  @Inject RevokedFamilies revoked;
  @Inject UserSnapshots users;
  @Inject Refusals refusals;

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
      refused(bearer, e.getMessage(), null, null);
      return CredentialValidationResult.INVALID_RESULT;
    }
    if (revoked.isRevoked(token.sessionId())) {
      bearer.reject(Rejection.invalid("The access token has been revoked"));
      refused(bearer, "REVOKED_SID", token.subject(), "sid=" + token.sessionId());
      return CredentialValidationResult.INVALID_RESULT;
    }
    var user = users.get(token.subject()).filter(UserSnapshot::isActive);
    if (user.isEmpty()) {
      bearer.reject(Rejection.invalid("The access token has been revoked"));
      refused(
          bearer,
          "USER_INACTIVE",
          token.subject(),
          token.sessionId() == null ? null : "sid=" + token.sessionId());
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

  private void refused(BearerTokenCredential bearer, String reason, Object subject, String detail) {
    refusals.record(
        AuditRecord.failure(
                AuditEventType.ACCESS_TOKEN_REFUSED,
                reason,
                subject == null ? null : subject.toString(),
                bearer.client())
            .withDetail(detail));
  }
}
