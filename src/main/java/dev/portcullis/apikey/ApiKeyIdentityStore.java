package dev.portcullis.apikey;

import dev.portcullis.audit.AuditEventType;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.caller.AuthMethod;
import dev.portcullis.caller.Caller;
import dev.portcullis.caller.PortcullisPrincipal;
import dev.portcullis.config.Settings;
import dev.portcullis.credential.Rejection;
import dev.portcullis.problem.ErrorCode;
import dev.portcullis.ratelimit.RateLimits;
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
 * Validates API keys: the key itself ({@link ApiKeyService#verify}), its audience against the one
 * the request is for (Portcullis itself, unless a trusted proxy named another on the forward-auth
 * endpoint: {@link ApiKeyReader}), and its owner's current state.
 *
 * <p>The caller becomes the owner, with the key's scopes that the owner still holds as groups — a
 * key never carries more than its owner has now. Failed uses are audited with their reason and
 * counted per client IP; over {@code portcullis.rate-limit.api-key.*} the answer is 429 {@code
 * RATE_LIMITED} before the key is checked.
 */
@ApplicationScoped
public class ApiKeyIdentityStore implements IdentityStore {

  @Inject ApiKeyService keys;
  @Inject UserSnapshots users;
  @Inject Settings settings;
  @Inject AuditLog audit;
  @Inject RateLimits rateLimits;

  @Override
  public CredentialValidationResult validate(Credential credential) {
    if (!(credential instanceof ApiKeyCredential presented)) {
      return CredentialValidationResult.NOT_VALIDATED_RESULT;
    }
    var retryAfter = rateLimits.apiKeyRetryAfter(presented.clientIp());
    if (retryAfter.isPresent()) {
      // Refused before the key is even looked at; the mechanism audits the 429 (aggregated).
      presented.reject(Rejection.rateLimited(retryAfter.getAsLong()));
      return CredentialValidationResult.INVALID_RESULT;
    }
    var outcome = keys.verify(presented.key());
    if (!outcome.valid()) {
      return refuse(presented, outcome.refusal().name(), outcome.keyId());
    }
    var key = outcome.key();
    String target =
        presented.targetAudience() == null ? settings.audience() : presented.targetAudience();
    if (key.audience() != null && !key.audience().equals(target)) {
      return refuse(presented, "WRONG_AUDIENCE", key.id());
    }
    var owner = users.get(key.ownerId()).filter(UserSnapshot::isActive);
    if (owner.isEmpty()) {
      return refuse(presented, "OWNER_DISABLED", key.id());
    }
    var groups = new HashSet<>(key.scopes());
    groups.retainAll(owner.get().roles());
    keys.used(key.id());
    var caller =
        new Caller(
            owner.get().id(),
            owner.get().username(),
            Set.copyOf(groups),
            AuthMethod.API_KEY,
            null,
            key.id());
    return new CredentialValidationResult(new PortcullisPrincipal(caller), groups);
  }

  private CredentialValidationResult refuse(
      ApiKeyCredential presented, String reason, String keyId) {
    presented.reject(new Rejection(ErrorCode.INVALID_API_KEY, "The API key is not valid"));
    rateLimits.apiKeyFailed(presented.clientIp());
    audit.record(
        AuditRecord.failure(AuditEventType.API_KEY_USE_FAILED, reason, keyId, presented.client()));
    return CredentialValidationResult.INVALID_RESULT;
  }
}
