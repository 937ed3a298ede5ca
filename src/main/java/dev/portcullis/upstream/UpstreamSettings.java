package dev.portcullis.upstream;

import dev.portcullis.config.InvalidSettingException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.Config;

/**
 * The upstream providers and the limits of talking to them, read from MicroProfile Config (SPEC
 * 3.7). {@code portcullis.upstream.providers} lists the ids; each id's settings are {@code
 * portcullis.upstream.<id>.<name>}, which the environment overrides as {@code
 * PORTCULLIS_UPSTREAM_<ID>_<NAME>} ({@code KIND}, {@code ISSUER}, {@code API_URL}, {@code
 * CLIENT_ID}, {@code CLIENT_SECRET} or {@code CLIENT_SECRET_FILE}, {@code DISPLAY_NAME}, {@code
 * SCOPES}, {@code PROVISIONING}, {@code DEFAULT_ROLES}, {@code ALLOWED_DOMAINS}).
 *
 * <p>Defaults: the kind is the id's when the id is {@code google} or {@code github}, else {@code
 * oidc}; Google's issuer is {@code https://accounts.google.com}, GitHub's {@code
 * https://github.com} with its API at {@code https://api.github.com}; scopes {@code openid email
 * profile} (OpenID) or {@code read:user user:email} (GitHub); provisioning {@code off}; default
 * roles {@code user}. Every URL is {@code https}, except {@code http} to a loopback host (a
 * provider on the same machine, tests): the only addresses Portcullis ever calls are the ones
 * configured here and the endpoints their discovery documents name under the same rule (no SSRF
 * through a request). Anything else stops start-up with the setting's name.
 *
 * @param providers the providers, in the configured order (the order of the sign-in buttons)
 * @param timeout the longest one call to a provider (discovery, keys, token, user API) may take
 * @param attemptTtl how long a started sign-in may take to come back to the callback
 * @param keysRefreshInterval the shortest time between two fetches of one provider's keys on an
 *     unknown {@code kid}
 */
public record UpstreamSettings(
    List<UpstreamProvider> providers,
    Duration timeout,
    Duration attemptTtl,
    Duration keysRefreshInterval) {

  static final Pattern ID = Pattern.compile("[a-z0-9]{1,32}");
  static final String GOOGLE_ISSUER = "https://accounts.google.com";
  static final String GITHUB_WEB = "https://github.com";
  static final String GITHUB_API = "https://api.github.com";

  public UpstreamSettings {
    providers = List.copyOf(providers);
  }

  /**
   * Reads and validates the settings.
   *
   * @param knownRoles the roles an administrator may grant; default roles must be among them
   * @throws InvalidSettingException naming the first setting that is missing or wrong
   */
  public static UpstreamSettings read(Config config, Set<String> knownRoles) {
    Map<String, UpstreamProvider> providers = new LinkedHashMap<>();
    for (String id : list(config, "portcullis.upstream.providers", "")) {
      if (!ID.matcher(id).matches()) {
        throw new InvalidSettingException(
            "portcullis.upstream.providers: the id '"
                + id
                + "' must be 1 to 32 lower-case letters and digits");
      }
      if (providers.putIfAbsent(id, provider(config, id, knownRoles)) != null) {
        throw new InvalidSettingException("portcullis.upstream.providers names " + id + " twice");
      }
    }
    return new UpstreamSettings(
        new ArrayList<>(providers.values()),
        duration(config, "portcullis.upstream.timeout", "PT10S", Duration.ofMinutes(1)),
        duration(config, "portcullis.upstream.attempt-ttl", "PT10M", Duration.ofHours(1)),
        duration(
            config, "portcullis.upstream.keys-refresh-interval", "PT30S", Duration.ofHours(1)));
  }

  private static UpstreamProvider provider(Config config, String id, Set<String> knownRoles) {
    String prefix = "portcullis.upstream." + id + ".";
    String kindValue =
        optional(config, prefix + "kind")
            .orElse(id.equals("google") || id.equals("github") ? id : "oidc");
    ProviderKind kind =
        ProviderKind.fromWire(kindValue)
            .orElseThrow(
                () ->
                    new InvalidSettingException(
                        prefix + "kind must be oidc, google or github, not '" + kindValue + "'"));
    String issuer =
        optional(config, prefix + "issuer")
            .or(
                () ->
                    switch (kind) {
                      case GOOGLE -> Optional.of(GOOGLE_ISSUER);
                      case GITHUB -> Optional.of(GITHUB_WEB);
                      case OIDC -> Optional.empty();
                    })
            .orElseThrow(() -> new InvalidSettingException(prefix + "issuer is required"));
    requireCallable(prefix + "issuer", issuer);
    URI apiUrl = null;
    if (kind == ProviderKind.GITHUB) {
      String api =
          optional(config, prefix + "api-url")
              .orElse(issuer.equals(GITHUB_WEB) ? GITHUB_API : issuer + "/api/v3");
      apiUrl = requireCallable(prefix + "api-url", api);
    }
    String clientId =
        optional(config, prefix + "client-id")
            .orElseThrow(() -> new InvalidSettingException(prefix + "client-id is required"));
    String secret = clientSecret(config, prefix);
    String displayName =
        optional(config, prefix + "display-name")
            .orElse(
                switch (kind) {
                  case GOOGLE -> "Google";
                  case GITHUB -> "GitHub";
                  case OIDC -> id;
                });
    if (displayName.length() > 64) {
      throw new InvalidSettingException(prefix + "display-name must be at most 64 characters");
    }
    List<String> scopes =
        Arrays.stream(
                optional(config, prefix + "scopes")
                    .orElse(kind.isOpenId() ? "openid email profile" : "read:user user:email")
                    .split(" "))
            .filter(s -> !s.isEmpty())
            .distinct()
            .toList();
    if (kind.isOpenId() && !scopes.contains("openid")) {
      throw new InvalidSettingException(prefix + "scopes must include openid");
    }
    boolean provisioning =
        switch (optional(config, prefix + "provisioning").orElse("off")) {
          case "off" -> false;
          case "on" -> true;
          default -> throw new InvalidSettingException(prefix + "provisioning must be on or off");
        };
    Set<String> roles = list(config, prefix + "default-roles", "user");
    for (String role : roles) {
      if (!knownRoles.contains(role)) {
        throw new InvalidSettingException(
            prefix + "default-roles: '" + role + "' is not one of portcullis.roles");
      }
    }
    Set<String> domains =
        list(config, prefix + "allowed-domains", "").stream()
            .map(d -> d.toLowerCase(Locale.ROOT))
            .collect(Collectors.toCollection(LinkedHashSet::new));
    return new UpstreamProvider(
        id,
        kind,
        issuer,
        apiUrl,
        clientId,
        secret,
        displayName,
        scopes,
        provisioning,
        roles,
        domains);
  }

  private static String clientSecret(Config config, String prefix) {
    var direct = optional(config, prefix + "client-secret");
    var file = optional(config, prefix + "client-secret-file");
    if (direct.isPresent() == file.isPresent()) {
      throw new InvalidSettingException(
          prefix + "client-secret or " + prefix + "client-secret-file is required (one of them)");
    }
    if (direct.isPresent()) {
      return direct.get();
    }
    try {
      String secret = Files.readString(Path.of(file.get())).strip();
      if (secret.isEmpty()) {
        throw new InvalidSettingException(prefix + "client-secret-file is empty");
      }
      return secret;
    } catch (IOException | RuntimeException e) {
      if (e instanceof InvalidSettingException invalid) {
        throw invalid;
      }
      throw new InvalidSettingException(prefix + "client-secret-file cannot be read");
    }
  }

  /**
   * Whether Portcullis may call {@code url}: {@code https} to any host, or {@code http} to a
   * loopback host; no user info, query or fragment.
   */
  static boolean callable(URI url) {
    if (url == null || !url.isAbsolute() || url.getRawAuthority() == null) {
      return false;
    }
    if (url.getRawUserInfo() != null || url.getRawQuery() != null || url.getRawFragment() != null) {
      return false;
    }
    String host = url.getHost();
    if (host == null) {
      return false;
    }
    return switch (url.getScheme().toLowerCase(Locale.ROOT)) {
      case "https" -> true;
      case "http" -> isLoopback(host);
      default -> false;
    };
  }

  private static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.equals("[::1]") || h.startsWith("127.");
  }

  private static URI requireCallable(String key, String value) {
    try {
      URI url = new URI(value);
      if (callable(url)) {
        return url;
      }
    } catch (URISyntaxException e) {
      // refused below
    }
    throw new InvalidSettingException(
        key + " must be an https URL (http only to a loopback host) without a query or fragment");
  }

  private static Optional<String> optional(Config config, String key) {
    return config.getOptionalValue(key, String.class).map(String::strip).filter(v -> !v.isEmpty());
  }

  private static Set<String> list(Config config, String key, String fallback) {
    return Arrays.stream(optional(config, key).orElse(fallback).split(","))
        .map(String::strip)
        .filter(v -> !v.isEmpty())
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  private static Duration duration(Config config, String key, String fallback, Duration max) {
    Duration value;
    try {
      value = Duration.parse(optional(config, key).orElse(fallback));
    } catch (RuntimeException e) {
      throw new InvalidSettingException(key + " must be an ISO-8601 duration such as PT10S");
    }
    if (value.isNegative() || value.isZero() || value.compareTo(max) > 0) {
      throw new InvalidSettingException(key + " must be positive and at most " + max);
    }
    return value;
  }
}
