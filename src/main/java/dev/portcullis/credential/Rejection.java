package dev.portcullis.credential;

import dev.portcullis.problem.ErrorCode;

/**
 * Why a presented credential was refused, kept for the response and the audit event.
 *
 * @param code the problem code ({@code INVALID_TOKEN}, {@code TOKEN_EXPIRED}, …); its status is
 *     401, 429 when the client is over its rate limit, or 503 when the store behind the credential
 *     is unreachable
 * @param description a short description safe to show the client (RFC 6750 error_description)
 * @param retryAfterSeconds the {@code Retry-After} of a 429 or 503, or 0 for the default
 */
public record Rejection(ErrorCode code, String description, long retryAfterSeconds) {

  public Rejection(ErrorCode code, String description) {
    this(code, description, 0);
  }

  /** The HTTP status of the refusal: that of its code. */
  public int status() {
    return code.status();
  }

  public static Rejection invalid(String description) {
    return new Rejection(ErrorCode.INVALID_TOKEN, description);
  }

  public static Rejection expired() {
    return new Rejection(ErrorCode.TOKEN_EXPIRED, "The access token has expired");
  }

  /** Too many failed attempts from this client: 429 {@code RATE_LIMITED}. */
  public static Rejection rateLimited(long retryAfterSeconds) {
    return new Rejection(
        ErrorCode.RATE_LIMITED, "Too many attempts; try again later", retryAfterSeconds);
  }

  public static Rejection unavailable() {
    return new Rejection(
        ErrorCode.SERVICE_UNAVAILABLE, "Authentication is temporarily unavailable");
  }
}
