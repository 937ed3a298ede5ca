package dev.portcullis;

import dev.portcullis.apikey.ApiKeyService;
import dev.portcullis.audit.AuditSettings;
import dev.portcullis.cluster.ChangeFeed;
import dev.portcullis.config.Settings;
import dev.portcullis.config.StartupSelfCheck;
import dev.portcullis.database.SchemaMigrations;
import dev.portcullis.oauth.AuthorizationCodes;
import dev.portcullis.oauth.IssuedTokens;
import dev.portcullis.oauth.client.ClientsFile;
import dev.portcullis.problem.JsonFactory;
import dev.portcullis.ratelimit.RateLimitBuckets;
import dev.portcullis.session.SessionService;
import dev.portcullis.token.RevokedFamilies;
import dev.portcullis.token.SigningKeys;
import dev.portcullis.user.BootstrapAdmin;
import dev.portcullis.user.HashingSettings;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Start-up in order — schema migration, signing keys, revocations, bootstrap administrator, the
 * OAuth clients file — and the timers: twice a second the cluster's change feed, every ten seconds
 * the last-use times, once a minute the housekeeping that rotates signing keys on schedule and
 * deletes what no one needs any more (old feed rows, refilled rate-limit buckets).
 *
 * <p>A failure at start-up fails the deployment: Portcullis does not serve half-initialised.
 */
@Singleton
@Startup
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ServerLifecycle {

  private static final Logger LOG = Logger.getLogger(ServerLifecycle.class.getName());

  @Inject SchemaMigrations migrations;
  @Inject SigningKeys signingKeys;
  @Inject RevokedFamilies revokedSessions;
  @Inject BootstrapAdmin bootstrapAdmin;
  @Inject ClientsFile clientsFile;
  @Inject AuthorizationCodes authorizationCodes;
  @Inject IssuedTokens issuedTokens;
  @Inject ApiKeyService apiKeys;
  @Inject Settings settings;
  @Inject SessionService sessions;
  @Inject ChangeFeed changeFeed;
  @Inject RateLimitBuckets rateLimitBuckets;
  @Resource ManagedScheduledExecutorService scheduler;

  /** How often the change feed is read (EJB timers cannot go below a second). */
  private static final long FEED_INTERVAL_MILLIS = 500;

  private ScheduledFuture<?> feedReader;
  private volatile boolean feedFailing;

  /** The first Java 17 update with the fix for all-zero ECDSA signatures (CVE-2022-21449). */
  private static final Runtime.Version MINIMUM_JAVA = Runtime.Version.parse("17.0.3");

  @PostConstruct
  void start() {
    try {
      if (Runtime.version().compareTo(MINIMUM_JAVA) < 0) {
        throw new IllegalStateException(
            "Java "
                + Runtime.version()
                + " accepts forged ECDSA "
                + "signatures (CVE-2022-21449); Portcullis needs "
                + MINIMUM_JAVA
                + " or newer");
      }
      if (!JsonFactory.rejectsDuplicateMembers()) {
        throw new IllegalStateException(
            "The JSON-P provider ignores JsonConfig.KEY_STRATEGY: request bodies with duplicate"
                + " members would be accepted; use Parsson 1.1 or newer");
      }
      // read lazily by the beans that use them: a bad value must stop the start, not a login
      HashingSettings.read(ConfigProvider.getConfig());
      AuditSettings.read(ConfigProvider.getConfig());
      migrations.migrate();
      // before any cache is filled: every change committed after this point reaches them
      changeFeed.start();
      signingKeys.maintain();
      revokedSessions.load();
      bootstrapAdmin.ensure();
      clientsFile.apply();
      selfCheck();
      feedReader =
          scheduler.scheduleWithFixedDelay(
              this::readChangeFeed,
              FEED_INTERVAL_MILLIS,
              FEED_INTERVAL_MILLIS,
              TimeUnit.MILLISECONDS);
      LOG.info("Portcullis started");
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "Portcullis cannot start: {0}", e.getMessage());
      exitIfDedicated();
      throw e;
    }
  }

  /** Logs one warning per insecure setting; refuses to start on a dangerous one in production. */
  private void selfCheck() {
    var findings =
        StartupSelfCheck.findings(settings, bootstrapAdmin.configuredPasswordStillValid());
    for (var finding : findings) {
      LOG.warning("Self-check: " + finding.message());
    }
    var fatal = findings.stream().filter(StartupSelfCheck.Finding::fatal).toList();
    if (!fatal.isEmpty()) {
      throw new IllegalStateException(
          "Refusing to start in production mode: " + fatal.get(0).message());
    }
  }

  /**
   * Payara Micro keeps running when its only application fails to deploy; under {@code
   * payara/run.sh} ({@code PORTCULLIS_EXIT_ON_STARTUP_FAILURE=true}) the process exits instead, so
   * a supervisor (systemd, a container runtime) sees the failure. Never set on a shared server.
   */
  private static void exitIfDedicated() {
    boolean dedicated =
        ConfigProvider.getConfig()
            .getOptionalValue("portcullis.exit-on-startup-failure", Boolean.class)
            .orElse(false);
    if (dedicated) {
      var exit = new Thread(() -> System.exit(3), "portcullis-startup-failure");
      exit.setDaemon(true);
      exit.start();
    }
  }

  @Schedule(hour = "*", minute = "*", persistent = false)
  void housekeeping() {
    try {
      signingKeys.maintain();
      revokedSessions.prune();
      changeFeed.purge();
      rateLimitBuckets.purgeExpired();
      authorizationCodes.deleteExpired();
      issuedTokens.purgeExpired();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Housekeeping failed; will retry in a minute: {0}", e.toString());
    }
  }

  /** Changes committed by any node reach this node's caches within a second. */
  void readChangeFeed() {
    try {
      changeFeed.poll();
      if (feedFailing) {
        feedFailing = false;
        LOG.info("The change feed is read again");
      }
    } catch (RuntimeException e) {
      // once per outage at WARNING: the feed is read twice a second
      LOG.log(
          feedFailing ? Level.FINE : Level.WARNING,
          "Could not read the change feed: {0}",
          e.toString());
      feedFailing = true;
    }
  }

  /** API keys' and sessions' last use is collected in memory and written every few seconds. */
  @Schedule(hour = "*", minute = "*", second = "*/10", persistent = false)
  void flushApiKeyUse() {
    try {
      apiKeys.flushLastUsed();
      sessions.flushLastSeen();
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "Could not record API key and session use yet: {0}", e.toString());
    }
  }

  @PreDestroy
  void stop() {
    if (feedReader != null) {
      feedReader.cancel(false);
    }
    try {
      apiKeys.flushLastUsed();
      sessions.flushLastSeen();
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING, "Could not record API key and session use at shutdown: {0}", e.toString());
    }
  }
}
