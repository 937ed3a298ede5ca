package dev.portcullis.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.config.MapConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What WildFly's pool sees from the connections {@link ConfiguredDataSource} hands it there. */
class ClosedConnectionSignalTest {

  private static ConfiguredDataSource dataSource(String name, boolean signal) {
    return new ConfiguredDataSource(
        new MapConfig(Map.of("portcullis.db.url", "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1")),
        signal);
  }

  @Test
  void aConnectionTheDatabaseClosedFailsWithAnExceptionThePoolTreatsAsFatal() throws Exception {
    Connection connection = dataSource("killed", true).getConnection();
    try (var other = dataSource("killed", false).getConnection()) {
      other.createStatement().execute("SHUTDOWN");
    }

    assertThatThrownBy(() -> connection.setAutoCommit(false))
        .isInstanceOf(ClosedConnectionSignal.ConnectionLostException.class)
        .isNotInstanceOf(SQLException.class)
        .hasCauseInstanceOf(SQLException.class);
    assertThatThrownBy(() -> connection.prepareStatement("SELECT 1"))
        .isInstanceOf(ClosedConnectionSignal.ConnectionLostException.class);
    assertThat(DatabaseFailures.isUnavailable(new SQLException("Error", catchFailure(connection))))
        .as("what the pool then hands the caller still reads as an unreachable database")
        .isTrue();
  }

  @Test
  void anOpenConnectionFailsExactlyAsTheDriverDoes() throws SQLException {
    try (var connection = dataSource("open", true).getConnection()) {
      assertThatThrownBy(() -> connection.createStatement().executeQuery("SELEKT 1"))
          .isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> connection.prepareStatement("NOT SQL"))
          .isInstanceOf(SQLException.class)
          .isNotInstanceOf(ClosedConnectionSignal.ConnectionLostException.class);
      try (var result = connection.createStatement().executeQuery("SELECT 41 + 1")) {
        result.next();
        assertThat(result.getInt(1)).isEqualTo(42);
      }
      assertThat(connection.isWrapperFor(org.h2.jdbc.JdbcConnection.class)).isTrue();
      assertThat(connection).isEqualTo(connection).hasSameHashCodeAs(connection);
    }
  }

  @Test
  void closingAClosedConnectionIsStillQuiet() throws SQLException {
    Connection connection = dataSource("quiet", true).getConnection();
    connection.close();
    connection.close();
    assertThat(connection.isClosed()).isTrue();
  }

  @Test
  void withoutTheSignalTheDriversConnectionIsHandedOutAsIs() throws SQLException {
    try (var connection = dataSource("plain", false).getConnection()) {
      assertThat(connection).isInstanceOf(org.h2.jdbc.JdbcConnection.class);
    }
  }

  private static Throwable catchFailure(Connection connection) {
    try {
      connection.createStatement();
      throw new AssertionError("a closed connection created a statement");
    } catch (RuntimeException | SQLException e) {
      return e;
    }
  }
}
