package dev.portcullis.credential;

/**
 * Why a presented credential was refused, kept for the response and the audit event.
 *
 * @param status 401, or 503 when the store behind the credential is unreachable
 * @param code the problem code ({@code INVALID_TOKEN}, {@code TOKEN_EXPIRED}, …)
 * @param description a short description safe to show the client (RFC 6750 error_description)
 * @param retryAfterSeconds the {@code Retry-After} of a 429 or 503, or 0 for the default
 */
public record Rejection(int status, String code, String description, long retryAfterSeconds) {

  public Rejection(int status, String code, String description) {
    this(status, code, description, 0);
  }

  public static Rejection invalid(String description) {
    return new Rejection(401, "INVALID_TOKEN", description);
  }

  public static Rejection expired() {
    return new Rejection(401, "TOKEN_EXPIRED", "The access token has expired");
  }

  /** Too many failed attempts from this client: 429 {@code RATE_LIMITED}. */
  public static Rejection rateLimited(long retryAfterSeconds) {
    return new Rejection(
        429, "RATE_LIMITED", "Too many attempts; try again later", retryAfterSeconds);
  }

  public static Rejection unavailable() {
    return new Rejection(503, "SERVICE_UNAVAILABLE", "Authentication is temporarily unavailable");
  }
}
