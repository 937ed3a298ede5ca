package dev.portcullis.problem;

import dev.portcullis.database.DatabaseFailures;
import dev.portcullis.logging.EscapedFailure;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The last line: an unreachable database becomes 503 with {@code Retry-After}; a write that lost to
 * a concurrent change (an optimistic version check, a serialization failure) 409 {@code CONFLICT};
 * anything else a generic 500 problem. The stack trace goes to the server log only, never to the
 * client, with its messages escaped ({@link EscapedFailure}): they may quote request text.
 */
@Provider
public class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {

  private static final Logger LOG = Logger.getLogger(UnexpectedExceptionMapper.class.getName());

  @Override
  public Response toResponse(Throwable failure) {
    if (failure instanceof ProblemException problem) {
      return problem.problem().toResponse();
    }
    if (DatabaseFailures.isUnavailable(failure)) {
      LOG.log(Level.WARNING, "Database unavailable: {0}", failure.getClass().getName());
      return ProblemException.unavailable().problem().toResponse();
    }
    if (DatabaseFailures.isConcurrentChange(failure)) {
      LOG.log(Level.FINE, "Lost to a concurrent change: {0}", failure.getClass().getName());
      return ProblemException.conflict().problem().toResponse();
    }
    LOG.log(Level.SEVERE, "Unexpected failure", EscapedFailure.of(failure));
    return Problem.of(ErrorCode.INTERNAL_ERROR, "The request failed").toResponse();
  }
}
