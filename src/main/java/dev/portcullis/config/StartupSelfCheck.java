package dev.portcullis.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The start-up self-check (issue: one clear warning per insecure setting; refuse the dangerous ones
 * outside development mode). Pure: it judges {@link Settings} plus facts gathered at start-up.
 *
 * <p>Argon2id is judged against the OWASP Password Storage Cheat Sheet's equivalent configurations:
 * m ≥ 46 MiB with t = 1, 19 MiB with t = 2, 12 MiB with t = 3, 9 MiB with t = 4, 7 MiB with t ≥ 5.
 */
public final class StartupSelfCheck {

  private StartupSelfCheck() {}

  /**
   * One finding.
   *
   * @param fatal whether it stops a production start
   * @param message what is wrong and what to do
   */
  public record Finding(boolean fatal, String message) {}

  /**
   * Judges the configuration.
   *
   * @param settings the settings
   * @param bootstrapPasswordStillValid whether the configured bootstrap admin password still logs
   *     in
   */
  public static List<Finding> findings(Settings settings, boolean bootstrapPasswordStillValid) {
    var findings = new ArrayList<Finding>();
    boolean production = !settings.devMode();
    if (settings.devMode()) {
      findings.add(
          new Finding(
              false,
              "Development mode is on (run.sh --dev): the master "
                  + "key is a local file. Never use it in production."));
    }
    if (settings.masterKey().isEmpty() && settings.masterKeyFile().isEmpty()) {
      findings.add(
          new Finding(
              production,
              "No master key is configured: set "
                  + "PORTCULLIS_MASTER_KEY or PORTCULLIS_MASTER_KEY_FILE."));
    }
    var argon2 = settings.argon2();
    if (argon2.memoryKib() < owaspMinimumMemoryKib(argon2.iterations())
        || argon2.parallelism() < 1) {
      findings.add(
          new Finding(
              production,
              "Argon2id parameters m="
                  + argon2.memoryKib()
                  + " KiB, t="
                  + argon2.iterations()
                  + " are below the OWASP minimum (m=19456, t=2)."));
    }
    if (!settings.requireHttps()) {
      findings.add(
          new Finding(
              false,
              "portcullis.http.require-https is false: credentials may "
                  + "cross the network in clear text."));
    }
    if (bootstrapPasswordStillValid) {
      findings.add(
          new Finding(
              false,
              "The bootstrap administrator still has the password from "
                  + "PORTCULLIS_BOOTSTRAP_ADMIN_PASSWORD: change it and remove the variable."));
    }
    if (settings.issuer().startsWith("http://")
        && production
        && !settings.issuer().matches("http://(localhost|127\\.0\\.0\\.1)(:\\d+)?(/.*)?")) {
      findings.add(
          new Finding(
              false,
              "The issuer "
                  + settings.issuer()
                  + " is not HTTPS; serve "
                  + "Portcullis over HTTPS and set PORTCULLIS_ISSUER to its https:// URL."));
    }
    return findings;
  }

  static int owaspMinimumMemoryKib(int iterations) {
    return switch (iterations) {
      case 1 -> 47_104;
      case 2 -> 19_456;
      case 3 -> 12_288;
      case 4 -> 9_216;
      default -> iterations >= 5 ? 7_168 : Integer.MAX_VALUE;
    };
  }
}
