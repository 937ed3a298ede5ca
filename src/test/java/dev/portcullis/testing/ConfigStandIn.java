package dev.portcullis.testing;

import dev.portcullis.config.MapConfig;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigBuilder;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;

/**
 * Answers {@code ConfigProvider.getConfig()} in unit tests, where no MicroProfile Config
 * implementation is on the class path, with one fixed configuration: {@code
 * portcullis.trusted-proxies} is {@value #TRUSTED_PROXIES}, nothing else is set.
 *
 * <p>The configuration is the same for the whole JVM on purpose: {@code ClientAddresses} reads the
 * trusted proxies once and keeps them, so a test that installed different values would only change
 * the answer for whichever test class happens to run first.
 *
 * <p>Usage: {@code @BeforeAll static void config() { ConfigStandIn.install(); }}. Thread-safe.
 */
public final class ConfigStandIn {

  /** The trusted proxies of every unit test. */
  public static final String TRUSTED_PROXIES = "10.0.0.0/8";

  /** A peer inside {@link #TRUSTED_PROXIES}. */
  public static final String TRUSTED_PROXY = "10.0.0.7";

  private static boolean installed;

  private ConfigStandIn() {}

  /** Installs the configuration; later calls do nothing. */
  public static synchronized void install() {
    if (!installed) {
      ConfigProviderResolver.setInstance(
          new Resolver(new MapConfig(Map.of("portcullis.trusted-proxies", TRUSTED_PROXIES))));
      installed = true;
    }
  }

  private static final class Resolver extends ConfigProviderResolver {

    private final Config config;

    Resolver(Config config) {
      this.config = config;
    }

    @Override
    public Config getConfig() {
      return config;
    }

    @Override
    public Config getConfig(ClassLoader loader) {
      return config;
    }

    @Override
    public ConfigBuilder getBuilder() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void registerConfig(Config config, ClassLoader classLoader) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void releaseConfig(Config config) {}
  }
}
