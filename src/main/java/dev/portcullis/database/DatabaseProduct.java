package dev.portcullis.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * The two databases Portcullis runs on, told apart by what the JDBC driver says, for the few places
 * where they must differ: the change feed (PostgreSQL reads it by transaction snapshots, H2 by a
 * time window), the rate-limit buckets (shared through PostgreSQL, in memory on H2) and the
 * migrations that only PostgreSQL can run.
 */
public enum DatabaseProduct {
  H2("h2"),
  POSTGRESQL("postgresql");

  private final String folder;

  DatabaseProduct(String folder) {
    this.folder = folder;
  }

  /** The classpath folder of this database's own migrations, beside the common ones. */
  public String migrationLocation() {
    return "classpath:db/vendor/" + folder;
  }

  /** The product of an open connection; anything that is not PostgreSQL is treated as H2. */
  public static DatabaseProduct of(Connection connection) throws SQLException {
    String name = connection.getMetaData().getDatabaseProductName();
    return name != null && name.toLowerCase(Locale.ROOT).contains("postgres") ? POSTGRESQL : H2;
  }

  /** The product behind {@code dataSource} (opens and closes one connection). */
  public static DatabaseProduct of(DataSource dataSource) {
    try (var connection = dataSource.getConnection()) {
      return of(connection);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot tell which database this is", e);
    }
  }
}
