package dev.portcullis.database;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;

/**
 * Tells an unreachable or hung database apart from other failures, so callers answer 503 with
 * {@code Retry-After} instead of 500.
 */
public final class DatabaseFailures {

  private DatabaseFailures() {}

  /** Whether {@code failure}, or anything that caused it, says the database cannot be reached. */
  public static boolean isUnavailable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLTransientConnectionException
          || t instanceof SQLNonTransientConnectionException
          || t instanceof SQLRecoverableException
          || t instanceof SQLTimeoutException) {
        return true;
      }
      if (t instanceof SQLException sql
          && sql.getSQLState() != null
          && (sql.getSQLState().startsWith("08") || sql.getSQLState().equals("57P01"))) {
        return true;
      }
      String name = t.getClass().getName();
      if (name.endsWith("ResourceAllocationException")
          || name.endsWith("PoolingException")
          || name.endsWith("JDBCConnectionException")
          || name.endsWith("ResourceException")) {
        return true;
      }
    }
    return false;
  }
}
