package dev.portcullis.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;

/**
 * A second JDBC connection to a PostgreSQL test server's database that takes a row lock ({@code
 * SELECT ... FOR UPDATE}) and keeps it until the test commits a change through it: the
 * deterministic way to make the server's transaction wait at that row, so a test can commit a
 * concurrent change at exactly the moment that matters and then see which one wins.
 *
 * <p>Usage: {@code try (var lock = HeldRowLock.on(server, "api_keys", "id", keyId)) { start the
 * request; lock.awaitWaiter(...); lock.commit("UPDATE ...", keyId); }}. Test fixture only; not
 * thread-safe.
 */
final class HeldRowLock implements AutoCloseable {

  private final Connection connection;

  private HeldRowLock(Connection connection) {
    this.connection = connection;
  }

  /** Locks the row of {@code table} whose {@code column} is {@code value} (cast from text). */
  static HeldRowLock on(PortcullisServer server, String table, String column, String value)
      throws SQLException {
    var database = server.database();
    var connection =
        DriverManager.getConnection(database.url(), database.user(), database.password());
    connection.setAutoCommit(false);
    try (var select =
        connection.prepareStatement(
            "SELECT 1 FROM " + table + " WHERE CAST(" + column + " AS TEXT) = ? FOR UPDATE")) {
      select.setString(1, value);
      try (var rows = select.executeQuery()) {
        if (!rows.next()) {
          connection.close();
          throw new AssertionError("no row of " + table + " with " + column + " = " + value);
        }
      }
    }
    return new HeldRowLock(connection);
  }

  /**
   * Waits (at most {@code bound}) until another session of this database waits for a lock, which is
   * the server's transaction queued behind this one; false if none did within the bound, so a
   * server that never touches the row cannot hang the test.
   */
  boolean awaitWaiter(Duration bound) throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    try (var probe =
        connection.prepareStatement(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'")) {
      while (System.nanoTime() < deadline) {
        try (var rows = probe.executeQuery()) {
          rows.next();
          if (rows.getInt(1) > 0) {
            return true;
          }
        }
        Thread.sleep(20);
      }
    }
    return false;
  }

  /** Runs {@code sql} with text parameters in the locking transaction and commits it. */
  void commit(String sql, String... parameters) throws SQLException {
    try (var statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setString(i + 1, parameters[i]);
      }
      statement.executeUpdate();
    }
    connection.commit();
  }

  @Override
  public void close() throws SQLException {
    try {
      connection.rollback();
    } finally {
      connection.close();
    }
  }
}
