package dev.portcullis.logging;

/**
 * A stand-in for an unexpected exception in a log record, whose messages are escaped like audit
 * values ({@link LogValues#escape}) while its stack trace stays whole.
 *
 * <p>An exception's message can carry request text: a database error names the value that broke a
 * constraint, a parser quotes what it could not read. Logged as is, a line break or bidirectional
 * control in it would let a client forge or disguise log lines. The copy keeps each throwable's
 * class name, escaped message and frames, and the same for its causes and suppressed exceptions.
 *
 * <p>Usage: {@code LOG.log(Level.SEVERE, "Unexpected failure", EscapedFailure.of(e));}
 */
public final class EscapedFailure extends RuntimeException {

  private static final long serialVersionUID = 1L;
  private static final int MAX_DEPTH = 16;

  private EscapedFailure(String text, EscapedFailure cause) {
    super(text, cause, true, true);
  }

  /** The escaped copy of {@code failure} and its causes (at most 16 deep). */
  public static EscapedFailure of(Throwable failure) {
    return copy(failure, 0);
  }

  private static EscapedFailure copy(Throwable failure, int depth) {
    String message = failure.getMessage();
    Throwable cause = failure.getCause();
    var copy =
        new EscapedFailure(
            failure.getClass().getName()
                + (message == null ? "" : ": " + LogValues.escape(message)),
            depth < MAX_DEPTH && cause != null && cause != failure ? copy(cause, depth + 1) : null);
    copy.setStackTrace(failure.getStackTrace());
    if (depth < MAX_DEPTH) {
      for (Throwable suppressed : failure.getSuppressed()) {
        copy.addSuppressed(copy(suppressed, depth + 1));
      }
    }
    return copy;
  }

  /** The original's class name and escaped message, as a log formatter prints a throwable. */
  @Override
  public String toString() {
    return getMessage();
  }
}
