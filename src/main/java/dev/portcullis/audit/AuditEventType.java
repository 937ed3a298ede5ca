package dev.portcullis.audit;

/** The kinds of audited events. */
public enum AuditEventType {
  LOGIN,
  PASSWORD_CHANGE,
  REFRESH,
  REFRESH_REUSE_DETECTED,
  LOGOUT,
  SESSION_STARTED,
  SESSION_ENDED,
  SIGNING_KEY_CREATED,
  SIGNING_KEY_ROTATED,
  SIGNING_KEY_REVOKED,
  API_KEY_CREATED,
  API_KEY_ROTATED,
  API_KEY_REVOKED,
  API_KEY_USE_FAILED,
  USER_CREATED,
  USER_DISABLED,
  USER_ENABLED,
  USER_ROLES_CHANGED,
  USER_PASSWORD_RESET,
  BOOTSTRAP_ADMIN_CREATED,
  USERS_IMPORTED,
  LOCKED_OUT,
  USER_UNLOCKED,
  /** A bearer access token refused: expired, malformed, invalid, revoked {@code sid}, inactive. */
  ACCESS_TOKEN_REFUSED,
  /** A request answered 429; aggregated per source ({@link Refusals}). */
  RATE_LIMITED,
  /** A state-changing request refused for want of CSRF proof; aggregated per source. */
  CSRF_REJECTED,
  /** An OAuth client registered, changed, deleted, or its secret rotated (admin API or file). */
  CLIENT_CREATED,
  CLIENT_UPDATED,
  CLIENT_DELETED,
  CLIENT_SECRET_ROTATED,
  /** A client failed to authenticate at the token, revocation or introspection endpoint. */
  CLIENT_AUTH_FAILED,
  /** An authorization code issued, or an authorization request refused. */
  AUTHORIZATION,
  /** A token endpoint grant: success, or refusal with the RFC 6749 error as reason. */
  TOKEN_GRANT,
  /** An authorization code presented twice: what its first use issued is revoked. */
  AUTHORIZATION_CODE_REUSED,
  TOKEN_REVOKED,
  CONSENT_GRANTED,
  CONSENT_REVOKED,
  /**
   * A sign-in through an upstream provider (SPEC 3.7): success with the session, or failure with
   * the reason and the provider's error code in the detail.
   */
  UPSTREAM_SIGN_IN,
  /** An upstream account linked to a local account (at a provisioning sign-in or from /account). */
  UPSTREAM_LINKED,
  UPSTREAM_UNLINKED
}
