package dev.portcullis.problem;

import java.util.Map;

/**
 * A failure the client can act on, answered as problem+json by {@link ProblemExceptionMapper}.
 *
 * <p>Services throw it; resources never catch it.
 */
public class ProblemException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private static final Map<Integer, String> TITLES =
      Map.of(
          400, "Bad request",
          401, "Unauthorized",
          403, "Forbidden",
          404, "Not found",
          409, "Conflict",
          413, "Payload too large",
          415, "Unsupported media type",
          429, "Too many requests",
          503, "Service unavailable");

  private final transient Problem problem;
  private long retryAfterSeconds;

  public ProblemException(int status, String code, String detail) {
    super(code + ": " + detail, null, false, false);
    this.problem = new Problem(status, code, TITLES.getOrDefault(status, "Error"), detail);
  }

  public Problem problem() {
    return problem;
  }

  /** Seconds the client should wait ({@code Retry-After}), or 0 for the default of its status. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** Sets the {@code Retry-After} this problem is answered with (429, 503); returns this. */
  public ProblemException retryAfter(long seconds) {
    this.retryAfterSeconds = Math.max(1, seconds);
    return this;
  }

  public static ProblemException validation(String detail) {
    return new ProblemException(400, "VALIDATION_FAILED", detail);
  }

  public static ProblemException notFound(String what) {
    return new ProblemException(404, "NOT_FOUND", what + " not found");
  }

  /** 409 {@code CONFLICT}: the request lost a race with a concurrent change and may be retried. */
  public static ProblemException conflict() {
    return new ProblemException(
        409, "CONFLICT", "The resource was changed concurrently; read it again and retry");
  }

  public static ProblemException unavailable() {
    return new ProblemException(
        503, "SERVICE_UNAVAILABLE", "The service is temporarily unavailable; retry later");
  }
}
