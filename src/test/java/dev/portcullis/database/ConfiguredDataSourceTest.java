package dev.portcullis.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.config.MapConfig;
import java.sql.SQLException;
import java.util.Map;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

class ConfiguredDataSourceTest {

  @Test
  void anH2UrlConnectsToThatDatabaseWithTheConfiguredAccount() throws SQLException {
    var dataSource =
        new ConfiguredDataSource(
            new MapConfig(
                Map.of(
                    "portcullis.db.url", "jdbc:h2:mem:configured;DB_CLOSE_DELAY=-1",
                    "portcullis.db.user", "portcullis",
                    "portcullis.db.password", "secret-1")));

    try (var connection = dataSource.getConnection();
        var result = connection.createStatement().executeQuery("SELECT CURRENT_USER")) {
      result.next();
      assertThat(result.getString(1)).isEqualToIgnoringCase("portcullis");
      assertThat(connection.getMetaData().getURL()).startsWith("jdbc:h2:mem:configured");
    }
    assertThat(dataSource.unwrap(JdbcDataSource.class)).isNotNull();
  }

  @Test
  void theAccountAPoolPassesIsIgnored() throws SQLException {
    var dataSource =
        new ConfiguredDataSource(
            new MapConfig(Map.of("portcullis.db.url", "jdbc:h2:mem:pool;DB_CLOSE_DELAY=-1")));

    try (var connection = dataSource.getConnection("someone-else", "whatever")) {
      assertThat(connection.getMetaData().getUserName()).isEqualToIgnoringCase("sa");
    }
  }

  @Test
  void aPostgresqlUrlGetsThePostgresqlDataSourceWithThatUrlAndAccount() throws SQLException {
    var dataSource =
        new ConfiguredDataSource(
            new MapConfig(
                Map.of(
                    "portcullis.db.url",
                    "jdbc:postgresql://db.example.com:5432/portcullis?connectTimeout=2",
                    "portcullis.db.user",
                    "portcullis",
                    "portcullis.db.password",
                    "secret-2")));

    var postgresql = dataSource.unwrap(PGSimpleDataSource.class);
    assertThat(postgresql.getServerNames()).containsExactly("db.example.com");
    assertThat(postgresql.getDatabaseName()).isEqualTo("portcullis");
    assertThat(postgresql.getConnectTimeout()).isEqualTo(2);
    assertThat(postgresql.getUser()).isEqualTo("portcullis");
    assertThat(postgresql.getPassword()).isEqualTo("secret-2");
  }

  @Test
  void withoutAUrlItIsTheH2FileInTheWorkingDirectory() throws SQLException {
    var dataSource = new ConfiguredDataSource(new MapConfig(Map.of()));

    assertThat(dataSource.unwrap(JdbcDataSource.class).getURL())
        .isEqualTo(ConfiguredDataSource.DEFAULT_URL);
  }

  @Test
  void aConfiguredDriverClassWinsOverTheUrl() throws SQLException {
    var dataSource =
        new ConfiguredDataSource(
            new MapConfig(
                Map.of(
                    "portcullis.db.url", "jdbc:h2:mem:driver",
                    "portcullis.db.driver", "org.h2.jdbcx.JdbcDataSource")));

    assertThat(dataSource.isWrapperFor(JdbcDataSource.class)).isTrue();
    assertThat(dataSource.isWrapperFor(PGSimpleDataSource.class)).isFalse();
  }

  @Test
  void anotherKindOfUrlIsRefusedNamingTheSetting() {
    assertThatThrownBy(
            () ->
                new ConfiguredDataSource(
                    new MapConfig(Map.of("portcullis.db.url", "jdbc:mysql://db/portcullis"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("portcullis.db.url");
  }

  @Test
  void aDriverThatIsNoDataSourceIsRefusedNamingTheSetting() {
    assertThatThrownBy(
            () ->
                new ConfiguredDataSource(
                    new MapConfig(
                        Map.of(
                            "portcullis.db.url", "jdbc:h2:mem:x",
                            "portcullis.db.driver", "java.lang.String"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("portcullis.db.driver");
  }
}
