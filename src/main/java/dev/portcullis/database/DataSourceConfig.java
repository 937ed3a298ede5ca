package dev.portcullis.database;

import jakarta.annotation.sql.DataSourceDefinition;

/**
 * The application's datasource, chosen purely by configuration: {@code PORTCULLIS_DB_URL} (a {@code
 * jdbc:h2:} or {@code jdbc:postgresql:} URL), {@code PORTCULLIS_DB_USER}, {@code
 * PORTCULLIS_DB_PASSWORD} and {@code PORTCULLIS_DB_DRIVER} (a {@code javax.sql.DataSource} class;
 * {@code payara/run.sh} derives it from the URL).
 *
 * <p>Payara expands {@code ${MPCONFIG=key:default}} here, but does not see the WAR's own
 * microprofile-config.properties, so defaults are inline. WildFly never expands these values; its
 * build declares the datasource in web.xml instead (see README).
 */
@DataSourceDefinition(
    name = DataSourceConfig.JNDI_NAME,
    className = "${MPCONFIG=portcullis.db.driver:org.h2.jdbcx.JdbcDataSource}",
    url = "${MPCONFIG=portcullis.db.url:jdbc:h2:file:./data/portcullis;DB_CLOSE_ON_EXIT=FALSE}",
    user = "${MPCONFIG=portcullis.db.user:sa}",
    password = DataSourceConfig.PASSWORD_EXPRESSION,
    minPoolSize = 2,
    maxPoolSize = 32,
    maxIdleTime = 300,
    properties = {
      "fish.payara.is-connection-validation-required=true",
      "fish.payara.connection-validation-method=auto-commit",
      "fish.payara.fail-all-connections=true",
      "fish.payara.max-wait-time-in-millis=5000"
    })
public class DataSourceConfig {

  /** Where the datasource is bound; persistence.xml names the same. */
  public static final String JNDI_NAME = "java:app/jdbc/portcullis";

  static final String PASSWORD_EXPRESSION = "${MPCONFIG=portcullis.db.password:sa}";
}
