package dev.portcullis.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Every setting Portcullis reads, read once at start-up and validated (see {@link
 * SettingsProducer}).
 *
 * <p>Each field comes from a MicroProfile Config key {@code portcullis.*}, which an environment
 * variable {@code PORTCULLIS_*} overrides; the README has the full table. No secret has a default.
 * Immutable and thread-safe.
 *
 * @param issuer the {@code iss} of every token; never derived from the Host header
 * @param audience the {@code aud} of access tokens and the audience this server accepts
 * @param tokenAlgorithm the JWS algorithm access tokens are signed with (PS256, RS256 or ES256)
 * @param accessTokenTtl access-token lifetime
 * @param refreshTokenTtl sliding refresh-token lifetime
 * @param refreshFamilyMaxTtl absolute cap of one login's refresh-token family
 * @param clockLeeway tolerance for {@code exp}/{@code nbf}/{@code iat}
 * @param keyRotationPeriod how long a signing key signs before its successor takes over
 * @param keyPublishLead how long a new key is published in the JWKS before it signs
 * @param argon2 password-hash parameters
 * @param passwordMinLength shortest password accepted when one is set
 * @param passwordMaxLength longest password accepted (longer input is rejected before hashing)
 * @param knownRoles the roles an administrator may grant
 * @param masterKey base64 master key, if given directly
 * @param masterKeyFile file holding the base64 master key, if given
 * @param devMode the run command's development mode (creates a local master-key file)
 * @param dataDir where development mode keeps its files
 * @param bootstrapAdminUsername username of the first administrator
 * @param bootstrapAdminPassword password of the first administrator; absent means generate one
 * @param maxRequestBytes largest request body accepted
 * @param apiKeyRotationGrace how long a rotated API key's old secret keeps working (may be 0)
 * @param apiKeysPerUser how many unrevoked API keys one user may hold
 * @param sessionIdleTimeout a browser session ends after this long without a request
 * @param sessionAbsoluteTimeout a browser session ends this long after login, whatever happens
 * @param corsAllowedOrigins origins (scheme://host[:port]) allowed to call the API cross-origin
 * @param requireHttps whether authentication endpoints refuse plain HTTP from beyond loopback
 * @param clientsFile the JSON file of OAuth clients applied at start ({@code
 *     portcullis.clients-file}), if any
 */
public record Settings(
    String issuer,
    String audience,
    String tokenAlgorithm,
    Duration accessTokenTtl,
    Duration refreshTokenTtl,
    Duration refreshFamilyMaxTtl,
    Duration clockLeeway,
    Duration keyRotationPeriod,
    Duration keyPublishLead,
    Argon2Settings argon2,
    int passwordMinLength,
    int passwordMaxLength,
    Set<String> knownRoles,
    Optional<String> masterKey,
    Optional<Path> masterKeyFile,
    boolean devMode,
    Path dataDir,
    String bootstrapAdminUsername,
    Optional<String> bootstrapAdminPassword,
    int maxRequestBytes,
    Duration apiKeyRotationGrace,
    int apiKeysPerUser,
    Duration sessionIdleTimeout,
    Duration sessionAbsoluteTimeout,
    Set<String> corsAllowedOrigins,
    boolean requireHttps,
    Optional<Path> clientsFile) {

  /** The shortest lead time allowed: MicroProfile JWT on Payara caches a JWKS for 5 minutes. */
  public static final Duration MINIMUM_PUBLISH_LEAD = Duration.ofMinutes(10);

  /**
   * Argon2id cost parameters.
   *
   * @param memoryKib memory in KiB (OWASP: 19456)
   * @param iterations passes over memory (OWASP: 2)
   * @param parallelism lanes (OWASP: 1)
   */
  public record Argon2Settings(int memoryKib, int iterations, int parallelism) {

    /** The OWASP Password Storage Cheat Sheet's first Argon2id configuration. */
    public static final Argon2Settings OWASP = new Argon2Settings(19_456, 2, 1);
  }

  /** The longest time a token signed now may stay valid: what retired keys stay published for. */
  public Duration maxTokenLifetime() {
    return accessTokenTtl.plus(clockLeeway);
  }
}
