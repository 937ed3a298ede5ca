package dev.portcullis.ratelimit;

import dev.portcullis.problem.ErrorCode;
import dev.portcullis.problem.ProblemException;

/**
 * 429 {@code RATE_LIMITED} with the seconds until the next attempt is allowed ({@code
 * Retry-After}).
 */
public class RateLimitedException extends ProblemException {

  private static final long serialVersionUID = 1L;

  public RateLimitedException(long retryAfterSeconds) {
    super(ErrorCode.RATE_LIMITED, "Too many attempts; try again later");
    retryAfter(retryAfterSeconds);
  }
}
