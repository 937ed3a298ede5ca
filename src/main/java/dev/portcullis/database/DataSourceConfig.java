package dev.portcullis.database;

import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.annotation.sql.DataSourceDefinitions;

/**
 * The application's datasources, chosen purely by configuration: {@code PORTCULLIS_DB_URL} (a
 * {@code jdbc:h2:} or {@code jdbc:postgresql:} URL), {@code PORTCULLIS_DB_USER}, {@code
 * PORTCULLIS_DB_PASSWORD} and {@code PORTCULLIS_DB_DRIVER} (a {@code javax.sql.DataSource} class;
 * {@code payara/run.sh} derives it from the URL).
 *
 * <p>Two pools on the same database: {@link #JNDI_NAME}, the JTA datasource of JPA and everything
 * transactional; and {@link #NON_TRANSACTIONAL_JNDI_NAME} ({@code transactional = false}: never
 * enlisted in a JTA transaction), for Bucket4j's PostgreSQL rate-limit buckets, which commit their
 * own short JDBC transactions on whatever thread checks a limit, inside a JTA transaction or not.
 * It opens no connection until used (minimum pool size 0), and nothing uses it on H2.
 *
 * <p>Payara expands {@code ${MPCONFIG=key:default}} here, but does not see the WAR's own
 * microprofile-config.properties, so defaults are inline. WildFly never expands these values; its
 * build declares the datasources in web.xml instead (see README), the second with {@code
 * <transactional>false</transactional>}.
 */
@DataSourceDefinitions({
  @DataSourceDefinition(
      name = DataSourceConfig.JNDI_NAME,
      className = DataSourceConfig.CLASS_NAME_EXPRESSION,
      url = DataSourceConfig.URL_EXPRESSION,
      user = DataSourceConfig.USER_EXPRESSION,
      password = DataSourceConfig.PASSWORD_EXPRESSION,
      minPoolSize = 2,
      maxPoolSize = 32,
      maxIdleTime = 300,
      properties = {
        "fish.payara.is-connection-validation-required=true",
        "fish.payara.connection-validation-method=auto-commit",
        "fish.payara.fail-all-connections=true",
        "fish.payara.max-wait-time-in-millis=5000"
      }),
  @DataSourceDefinition(
      name = DataSourceConfig.NON_TRANSACTIONAL_JNDI_NAME,
      className = DataSourceConfig.CLASS_NAME_EXPRESSION,
      url = DataSourceConfig.URL_EXPRESSION,
      user = DataSourceConfig.USER_EXPRESSION,
      password = DataSourceConfig.PASSWORD_EXPRESSION,
      transactional = false,
      minPoolSize = 0,
      maxPoolSize = 16,
      maxIdleTime = 300,
      properties = {
        "fish.payara.is-connection-validation-required=true",
        "fish.payara.connection-validation-method=auto-commit",
        "fish.payara.fail-all-connections=true",
        "fish.payara.max-wait-time-in-millis=5000"
      })
})
public class DataSourceConfig {

  /** Where the JTA datasource is bound; persistence.xml names the same. */
  public static final String JNDI_NAME = "java:app/jdbc/portcullis";

  /** Where the non-transactional datasource (rate-limit buckets) is bound. */
  public static final String NON_TRANSACTIONAL_JNDI_NAME = "java:app/jdbc/portcullis-nontx";

  static final String CLASS_NAME_EXPRESSION =
      "${MPCONFIG=portcullis.db.driver:org.h2.jdbcx.JdbcDataSource}";
  static final String URL_EXPRESSION =
      "${MPCONFIG=portcullis.db.url:jdbc:h2:file:./data/portcullis;DB_CLOSE_ON_EXIT=FALSE}";
  static final String USER_EXPRESSION = "${MPCONFIG=portcullis.db.user:sa}";
  static final String PASSWORD_EXPRESSION = "${MPCONFIG=portcullis.db.password:sa}";
}
