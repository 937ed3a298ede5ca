package dev.portcullis.database;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Brings the database schema up to date with Flyway at start-up. Hibernate never creates or
 * validates the schema; these migrations own it.
 *
 * <p>Migrations live in {@code db/migration} and run on both databases; the few that cannot be
 * written for both (PostgreSQL's transaction ids in the change feed) have one version in {@code
 * db/vendor/postgresql} and its counterpart, possibly empty, in {@code db/vendor/h2}, so the
 * version numbers stay one sequence.
 */
@ApplicationScoped
public class SchemaMigrations {

  private static final Logger LOG = Logger.getLogger(SchemaMigrations.class.getName());

  @Resource(lookup = DataSourceConfig.JNDI_NAME)
  DataSource dataSource;

  /** Applies every pending migration; fails start-up if one cannot be applied. */
  public void migrate() {
    var result =
        Flyway.configure(SchemaMigrations.class.getClassLoader())
            .dataSource(dataSource)
            .locations("classpath:db/migration", DatabaseProduct.of(dataSource).migrationLocation())
            .load()
            .migrate();
    LOG.info(
        () ->
            "Database schema at version "
                + result.targetSchemaVersion
                + " ("
                + result.migrationsExecuted
                + " migrations applied now)");
  }
}
