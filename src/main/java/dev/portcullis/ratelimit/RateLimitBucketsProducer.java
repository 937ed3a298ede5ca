package dev.portcullis.ratelimit;

import dev.portcullis.database.DataSourceConfig;
import dev.portcullis.database.DatabaseProduct;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Chooses where rate-limit buckets live, once, by the database the application runs on: shared
 * through PostgreSQL ({@link DatabaseRateLimitBuckets}) when several nodes may share it, in memory
 * ({@link LocalRateLimitBuckets}) on H2, which is one node's database.
 */
@ApplicationScoped
public class RateLimitBucketsProducer {

  private static final Logger LOG = Logger.getLogger(RateLimitBucketsProducer.class.getName());

  @Resource(lookup = DataSourceConfig.JNDI_NAME)
  DataSource dataSource;

  @Resource(lookup = DataSourceConfig.NON_TRANSACTIONAL_JNDI_NAME)
  DataSource nonTransactional;

  @Produces
  @ApplicationScoped
  RateLimitBuckets buckets(RateLimitSettings settings) {
    if (DatabaseProduct.of(dataSource) == DatabaseProduct.POSTGRESQL) {
      LOG.info("Rate-limit buckets are shared by every node through PostgreSQL");
      return new DatabaseRateLimitBuckets(nonTransactional, settings);
    }
    LOG.info("Rate-limit buckets are kept in memory (H2: one node)");
    return new LocalRateLimitBuckets(settings);
  }
}
