package dev.portcullis.problem;

/**
 * Every {@code code} a Portcullis problem+json body can carry: the catalogue that mappers, filters,
 * services and pages build and compare problems with, instead of spelling codes as strings.
 *
 * <p>The wire value is the constant's name ({@link #code()}), so renaming a constant changes the
 * API; {@code ErrorCode}'s unit test pins the set. A code that always goes out with one status and
 * one title carries them ({@link #status()}, {@link #title()}); {@link #BAD_REQUEST} is the one
 * code sent with more than one status, and says so.
 *
 * <p>Usage: {@code throw new ProblemException(ErrorCode.USER_EXISTS, "A user with that username or
 * e-mail exists");} and, where a page tells problems apart, {@code switch (e.code())}. Immutable.
 */
public enum ErrorCode {

  // --- answered for an HTTP status the container or REST runtime produced itself ----------------

  /**
   * 400, or any other 4xx status with no code of its own that the container or REST runtime answers
   * ({@link Problem#forStatus}, e.g. 408 or 414); title "Bad request".
   */
  BAD_REQUEST("Bad request"),

  /**
   * 401: an endpoint that requires a caller was reached without one (the REST runtime, the roles
   * filter, {@code Caller.of}).
   */
  UNAUTHORIZED(401, "Unauthorized"),

  /**
   * 403: the caller lacks the role an endpoint requires, an API key tried to manage credentials, or
   * the container refused the request.
   */
  FORBIDDEN(403, "Forbidden"),

  /** 404: no such resource, or no such user, API key, session or signing key for this caller. */
  NOT_FOUND(404, "Not found"),

  /** 405: the resource does not support the method; the REST runtime's {@code Allow} is kept. */
  METHOD_NOT_ALLOWED(405, "Method not allowed"),

  /** 406: the client accepts no type the resource answers (application/json). */
  NOT_ACCEPTABLE(406, "Not acceptable"),

  /**
   * 413: the request body is over its limit ({@code portcullis.http.max-request-bytes}), judged by
   * the request guard or answered by the container.
   */
  PAYLOAD_TOO_LARGE(413, "Payload too large"),

  /** 415: the request body is not application/json. */
  UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),

  /** 500: an unexpected failure; the client learns nothing more, the server log has the trace. */
  INTERNAL_ERROR(500, "Internal error"),

  /**
   * 503 with {@code Retry-After}: the database (or the store behind a credential or a rate limit)
   * is unreachable, password hashing is saturated, or the container answered 503.
   */
  SERVICE_UNAVAILABLE(503, "Service unavailable"),

  // --- refused by the request guards before any resource ----------------------------------------

  /** 400: an authentication endpoint was reached over plain HTTP while HTTPS is required. */
  HTTPS_REQUIRED(400, "Bad request"),

  /** 400: the query string carries a credential (token, key, password); never accepted there. */
  CREDENTIAL_IN_URL(400, "Bad request"),

  /** 411: a form post declared no {@code Content-Length}. */
  LENGTH_REQUIRED(411, "Length required"),

  /**
   * 403: a state-changing request by a browser session without CSRF proof: a missing or wrong
   * {@code X-CSRF-Token}, a cross-site form post to a page, or a logout from another site.
   */
  CSRF_REJECTED(403, "Forbidden"),

  // --- refused by the authentication mechanism or a credential ---------------------------------

  /**
   * 400: the request presents more than one credential (e.g. two {@code Authorization} headers).
   */
  AMBIGUOUS_CREDENTIALS(400, "Bad request"),

  /**
   * 401: a bearer or refresh token is not valid (bad signature or claims, revoked, its user
   * disabled, a refresh token expired), or a credential was refused with no more specific code.
   */
  INVALID_TOKEN(401, "Unauthorized"),

  /** 401: the access token has expired; refreshing will help. */
  TOKEN_EXPIRED(401, "Unauthorized"),

  /**
   * 401: the API key is not valid: unknown, revoked or expired, meant for another audience, or its
   * owner disabled.
   */
  INVALID_API_KEY(401, "Unauthorized"),

  /** 401: the browser-session cookie names no live session of an active user. */
  SESSION_ENDED(401, "Unauthorized"),

  /**
   * 429 with {@code Retry-After}: too many attempts from this client, for this account or with this
   * credential.
   */
  RATE_LIMITED(429, "Too many requests"),

  // --- refused by a sign-in, token or key operation ---------------------------------------------

  /**
   * 401: unknown user, wrong password, disabled or locked account: one answer for all, after the
   * same work.
   */
  INVALID_CREDENTIALS(401, "Unauthorized"),

  /** 403: the password is a one-time password and must be changed before use. */
  PASSWORD_CHANGE_REQUIRED(403, "Forbidden"),

  /** 401: the refresh token was already spent (its whole login is revoked) or used concurrently. */
  REFRESH_TOKEN_REUSED(401, "Unauthorized"),

  /** 400: a logout by an API key, which has no session to end. */
  NOT_A_SESSION(400, "Bad request"),

  /**
   * 403: an API key would carry, or its rotation hand out, a scope beyond the owner's roles or the
   * caller's own authority; or an OAuth client would carry a role beyond the caller's own.
   */
  INSUFFICIENT_SCOPE(403, "Forbidden"),

  /** 409: the owner already holds {@code portcullis.api-keys.max-per-user} active keys. */
  TOO_MANY_KEYS(409, "Conflict"),

  /** 409: a revoked or expired key cannot rotate, or it was revoked or rotated meanwhile. */
  KEY_INACTIVE(409, "Conflict"),

  // --- refused by a change to users or their data -----------------------------------------------

  /** 400: a request body or parameter is malformed or breaks a rule (password policy, roles …). */
  VALIDATION_FAILED(400, "Bad request"),

  /** 409: a user with that username or e-mail exists (or was just created by an import). */
  USER_EXISTS(409, "Conflict"),

  /** 409: an administrator tried to disable themselves or remove their own admin role. */
  SELF_LOCKOUT(409, "Conflict"),

  /** 409: the request lost a race with a concurrent change and may be retried after a read. */
  CONFLICT(409, "Conflict"),

  /**
   * 409: unlinking this upstream account would leave the user no way to sign in (no password and no
   * other link).
   */
  LAST_SIGN_IN_METHOD(409, "Conflict"),

  // --- refused by a change to OAuth clients -----------------------------------------------------

  /** 409: an OAuth client with that {@code client_id} is registered (through the API or file). */
  CLIENT_EXISTS(409, "Conflict"),

  /**
   * 409: the OAuth client comes from the clients file ({@code PORTCULLIS_CLIENTS_FILE}): change it
   * there; the API cannot change, delete or rotate it.
   */
  CLIENT_READ_ONLY(409, "Conflict");

  /** Marks a code sent with more than one status. */
  private static final int VARIES = 0;

  private final int status;
  private final String title;

  ErrorCode(String title) {
    this(VARIES, title);
  }

  ErrorCode(int status, String title) {
    this.status = status;
    this.title = title;
  }

  /** The wire value: the constant's name, upper case with underscores. */
  public String code() {
    return name();
  }

  /** Whether this code always goes out with one status ({@link #status()}). */
  public boolean hasOneStatus() {
    return status != VARIES;
  }

  /**
   * The HTTP status this code is always sent with.
   *
   * @throws IllegalStateException for {@link #BAD_REQUEST}, whose status is that of the error it
   *     answers: build it with {@link Problem#of(int, ErrorCode, String)}
   */
  public int status() {
    if (status == VARIES) {
      throw new IllegalStateException(name() + " is sent with more than one status");
    }
    return status;
  }

  /** The problem's {@code title}, the same for every occurrence of this code. */
  public String title() {
    return title;
  }
}
