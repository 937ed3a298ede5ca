package dev.portcullis.problem;

/**
 * A failure the client can act on, answered as problem+json by {@link ProblemExceptionMapper}.
 *
 * <p>Services throw it; resources never catch it. Its status and title are those of its {@link
 * ErrorCode}: {@code throw new ProblemException(ErrorCode.KEY_INACTIVE, "…")}.
 */
public class ProblemException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final transient Problem problem;
  private long retryAfterSeconds;

  public ProblemException(ErrorCode code, String detail) {
    super(code.code() + ": " + detail, null, false, false);
    this.code = code;
    this.problem = Problem.of(code, detail);
  }

  /** The catalogued code; {@code problem().code()} is its wire value. */
  public ErrorCode code() {
    return code;
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
    return new ProblemException(ErrorCode.VALIDATION_FAILED, detail);
  }

  public static ProblemException notFound(String what) {
    return new ProblemException(ErrorCode.NOT_FOUND, what + " not found");
  }

  /** 409 {@code CONFLICT}: the request lost a race with a concurrent change and may be retried. */
  public static ProblemException conflict() {
    return new ProblemException(
        ErrorCode.CONFLICT, "The resource was changed concurrently; read it again and retry");
  }

  public static ProblemException unavailable() {
    return new ProblemException(
        ErrorCode.SERVICE_UNAVAILABLE, "The service is temporarily unavailable; retry later");
  }
}
