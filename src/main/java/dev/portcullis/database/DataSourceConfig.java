package dev.portcullis.database;

import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.annotation.sql.DataSourceDefinitions;

/**
 * The application's datasources, chosen purely by configuration: {@code PORTCULLIS_DB_URL} (a
 * {@code jdbc:h2:} or {@code jdbc:postgresql:} URL), {@code PORTCULLIS_DB_USER}, {@code
 * PORTCULLIS_DB_PASSWORD} and optionally {@code PORTCULLIS_DB_DRIVER} (a {@code
 * javax.sql.DataSource} class; by default the URL's vendor's).
 *
 * <p>Two pools on the same database: {@link #JNDI_NAME}, the JTA datasource of JPA and everything
 * transactional; and {@link #NON_TRANSACTIONAL_JNDI_NAME} ({@code transactional = false}: never
 * enlisted in a JTA transaction), for Bucket4j's PostgreSQL rate-limit buckets, which commit their
 * own short JDBC transactions on whatever thread checks a limit, inside a JTA transaction or not.
 * It opens no connection until used (minimum pool size 0), and nothing uses it on H2.
 *
 * <p>Both are declared with {@link ConfiguredDataSource}, which reads those settings itself when
 * the pool creates it, and with no expression at all: WildFly never expands expressions in this
 * annotation (Payara does), so this is what lets the same WAR run on both. The {@code
 * fish.payara.*} properties (connection validation, failing all connections of a broken pool, a
 * bounded wait) are Payara's and ignored by WildFly; {@code description} is there because WildFly
 * refuses a data source class given no property at all.
 */
@DataSourceDefinitions({
  @DataSourceDefinition(
      name = DataSourceConfig.JNDI_NAME,
      className = DataSourceConfig.CLASS_NAME,
      minPoolSize = 2,
      maxPoolSize = 32,
      maxIdleTime = 300,
      properties = {
        "description=Portcullis",
        "fish.payara.is-connection-validation-required=true",
        "fish.payara.connection-validation-method=auto-commit",
        "fish.payara.fail-all-connections=true",
        "fish.payara.max-wait-time-in-millis=5000"
      }),
  @DataSourceDefinition(
      name = DataSourceConfig.NON_TRANSACTIONAL_JNDI_NAME,
      className = DataSourceConfig.CLASS_NAME,
      transactional = false,
      minPoolSize = 0,
      maxPoolSize = 16,
      maxIdleTime = 300,
      properties = {
        "description=Portcullis",
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

  static final String CLASS_NAME = "dev.portcullis.database.ConfiguredDataSource";
}
