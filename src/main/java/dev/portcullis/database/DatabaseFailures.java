package dev.portcullis.database;

import jakarta.persistence.OptimisticLockException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;

/**
 * Tells an unreachable or hung database, and a write that lost a race with a concurrent change,
 * apart from other failures, so callers answer 503 with {@code Retry-After} or 409 instead of 500.
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

  /**
   * Whether {@code failure}, or anything that caused it, says a write lost to a concurrent change:
   * an optimistic version check failed ({@code OptimisticLockException}, Hibernate's {@code
   * StaleStateException}), or the database aborted the transaction as a serialization failure or
   * deadlock (SQLSTATE 40001, 40P01). Retrying after reading again is the client's remedy.
   */
  public static boolean isConcurrentChange(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof OptimisticLockException) {
        return true;
      }
      if (t instanceof SQLException sql
          && ("40001".equals(sql.getSQLState()) || "40P01".equals(sql.getSQLState()))) {
        return true;
      }
      String name = t.getClass().getName();
      if (name.equals("org.hibernate.StaleStateException")
          || name.equals("org.hibernate.StaleObjectStateException")
          || name.endsWith(".OptimisticEntityLockException")) {
        return true;
      }
    }
    return false;
  }
}
