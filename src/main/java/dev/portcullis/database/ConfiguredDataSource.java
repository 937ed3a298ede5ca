package dev.portcullis.database;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The {@code javax.sql.DataSource} class the application's pools are declared with, on every
 * server: it reads {@code portcullis.db.url}, {@code .user}, {@code .password} and {@code .driver}
 * from MicroProfile Config (so from {@code PORTCULLIS_DB_*}) when the pool creates it, and hands
 * out the connections of the vendor's own data source ({@code org.h2.jdbcx.JdbcDataSource} or
 * {@code org.postgresql.ds.PGSimpleDataSource}, chosen by the URL unless {@code .driver} names
 * one). Declaring this class with no expressions is what lets one WAR run on Payara, which expands
 * {@code ${MPCONFIG=…}} in {@code @DataSourceDefinition}, and WildFly, which expands nothing there.
 */
public class ConfiguredDataSource implements DataSource {

  static final String DEFAULT_URL = "jdbc:h2:file:./data/portcullis;DB_CLOSE_ON_EXIT=FALSE";

  private final DataSource vendor;
  private final boolean signalClosedConnections;
  private String description = "";

  public ConfiguredDataSource() {
    this(
        ConfigProvider.getConfig(ConfiguredDataSource.class.getClassLoader()),
        System.getProperty("jboss.home.dir") != null);
  }

  ConfiguredDataSource(Config config) {
    this(config, false);
  }

  /**
   * @param signalClosedConnections whether connections are handed out through {@link
   *     ClosedConnectionSignal}: on WildFly (which always sets {@code jboss.home.dir}), whose pool
   *     for this class cannot validate connections
   */
  ConfiguredDataSource(Config config, boolean signalClosedConnections) {
    this.signalClosedConnections = signalClosedConnections;
    String url = config.getOptionalValue("portcullis.db.url", String.class).orElse(DEFAULT_URL);
    String driver =
        config
            .getOptionalValue("portcullis.db.driver", String.class)
            .orElseGet(() -> vendorClassOf(url));
    vendor = instantiate(driver);
    set("setURL", url);
    set("setUser", config.getOptionalValue("portcullis.db.user", String.class).orElse("sa"));
    set(
        "setPassword",
        config.getOptionalValue("portcullis.db.password", String.class).orElse("sa"));
  }

  /** The vendor data source class for a {@code jdbc:h2:} or {@code jdbc:postgresql:} URL. */
  static String vendorClassOf(String url) {
    if (url.startsWith("jdbc:postgresql:")) {
      return "org.postgresql.ds.PGSimpleDataSource";
    }
    if (url.startsWith("jdbc:h2:")) {
      return "org.h2.jdbcx.JdbcDataSource";
    }
    throw new IllegalStateException("portcullis.db.url must be a jdbc:h2: or jdbc:postgresql: URL");
  }

  private static DataSource instantiate(String className) {
    try {
      return (DataSource)
          Class.forName(className, true, ConfiguredDataSource.class.getClassLoader())
              .getConstructor()
              .newInstance();
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalStateException(
          "portcullis.db.driver " + className + " is not a javax.sql.DataSource class", e);
    }
  }

  private void set(String setter, String value) {
    try {
      vendor.getClass().getMethod(setter, String.class).invoke(vendor, value);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(setter + " failed on " + vendor.getClass().getName(), e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(vendor.getClass().getName() + " has no " + setter, e);
    }
  }

  /**
   * The JDBC standard {@code description} property. {@link DataSourceConfig} sets it because
   * WildFly requires a data source class to be given at least one property.
   */
  public String getDescription() {
    return description;
  }

  public void setDescription(String description) {
    this.description = description;
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection connection = vendor.getConnection();
    return signalClosedConnections ? ClosedConnectionSignal.wrap(connection) : connection;
  }

  /** The configured account is used whatever a pool passes. */
  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return getConnection();
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return vendor.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    vendor.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    vendor.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return vendor.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return vendor.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    return type.isInstance(this) ? type.cast(this) : vendor.unwrap(type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) throws SQLException {
    return type.isInstance(this) || vendor.isWrapperFor(type);
  }
}
