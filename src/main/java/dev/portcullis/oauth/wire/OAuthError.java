package dev.portcullis.oauth.wire;

import java.util.Map;

/**
 * An OAuth 2.0 error answered in the RFC's own format (RFC 6749 5.2: {@code {"error",
 * "error_description"}}, status 400 or 401, {@code Cache-Control: no-store}), never as
 * problem+json. The description is fixed text chosen by Portcullis: it never echoes a token, a
 * secret or unescaped input. {@link OAuthErrorMapper} writes it.
 */
public class OAuthError extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String error;
  private final int status;
  private final Map<String, String> headers;

  public OAuthError(String error, String description, int status, Map<String, String> headers) {
    super(description, null, false, false);
    this.error = error;
    this.status = status;
    this.headers = Map.copyOf(headers);
  }

  public OAuthError(String error, String description, int status) {
    this(error, description, status, Map.of());
  }

  /** 400 {@code invalid_request}. */
  public static OAuthError invalidRequest(String description) {
    return new OAuthError("invalid_request", description, 400);
  }

  /** 400 {@code invalid_grant}. */
  public static OAuthError invalidGrant(String description) {
    return new OAuthError("invalid_grant", description, 400);
  }

  /** 400 {@code unauthorized_client}: the client may not use this grant type. */
  public static OAuthError unauthorizedClient(String description) {
    return new OAuthError("unauthorized_client", description, 400);
  }

  /** 400 {@code invalid_scope}. */
  public static OAuthError invalidScope(String description) {
    return new OAuthError("invalid_scope", description, 400);
  }

  /**
   * 401 {@code invalid_client} with a {@code WWW-Authenticate: Basic} challenge (RFC 6749 5.2: the
   * client tried, or should have tried, HTTP Basic).
   */
  public static OAuthError invalidClient(String description) {
    return new OAuthError(
        "invalid_client",
        description,
        401,
        Map.of("WWW-Authenticate", "Basic realm=\"portcullis\", charset=\"UTF-8\""));
  }

  /** 429 {@code slow_down}-style refusal of too many attempts, with {@code Retry-After}. */
  public static OAuthError rateLimited(long retryAfterSeconds) {
    return new OAuthError(
        "invalid_request",
        "Too many attempts; try again later",
        429,
        Map.of("Retry-After", Long.toString(Math.max(1, retryAfterSeconds))));
  }

  /** 503 {@code temporarily_unavailable} with {@code Retry-After}. */
  public static OAuthError unavailable() {
    return new OAuthError(
        "temporarily_unavailable",
        "The service is temporarily unavailable",
        503,
        Map.of("Retry-After", "5"));
  }

  public String error() {
    return error;
  }

  public String description() {
    return getMessage();
  }

  public int status() {
    return status;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
