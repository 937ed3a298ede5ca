package dev.portcullis.upstream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each provider's endpoints ({@link ProviderEndpoints}). An OpenID provider's come from its
 * discovery document at {@code <issuer>/.well-known/openid-configuration} (a terminating slash of
 * the issuer removed first, OpenID Connect Discovery 4), which must name exactly the configured
 * issuer and only {@link UpstreamSettings#callable} endpoints; the document is kept for an hour,
 * and a failed fetch is not repeated for 10 seconds (a sign-in meanwhile fails fast as
 * unavailable). GitHub's are the configured bases' fixed paths. Thread-safe.
 */
@ApplicationScoped
public class ProviderDiscovery {

  static final Duration KEEP = Duration.ofHours(1);
  static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(10);

  @Inject UpstreamHttp http;
  @Inject Clock clock;

  private record Entry(ProviderEndpoints endpoints, RuntimeException failure, Instant until) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  /** The provider's endpoints, discovering them when not known. */
  ProviderEndpoints endpoints(UpstreamProvider provider) {
    if (provider.kind() == ProviderKind.GITHUB) {
      return github(provider);
    }
    Instant now = clock.instant();
    Entry entry = entries.get(provider.id());
    if (entry == null || !now.isBefore(entry.until())) {
      entry = discover(provider, now);
      entries.put(provider.id(), entry);
    }
    if (entry.failure() != null) {
      throw entry.failure();
    }
    return entry.endpoints();
  }

  /** The endpoints if already known, without calling the provider. */
  Optional<ProviderEndpoints> known(UpstreamProvider provider) {
    if (provider.kind() == ProviderKind.GITHUB) {
      return Optional.of(github(provider));
    }
    return Optional.ofNullable(entries.get(provider.id())).map(Entry::endpoints);
  }

  private Entry discover(UpstreamProvider provider, Instant now) {
    try {
      return new Entry(fetch(provider), null, now.plus(KEEP));
    } catch (ProviderUnavailableException | SignInRefusedException e) {
      return new Entry(null, e, now.plus(RETRY_AFTER_FAILURE));
    }
  }

  private ProviderEndpoints fetch(UpstreamProvider provider) {
    String base =
        provider.issuer().endsWith("/")
            ? provider.issuer().substring(0, provider.issuer().length() - 1)
            : provider.issuer();
    var answer =
        http.exchange(
            HttpRequest.newBuilder(URI.create(base + "/.well-known/openid-configuration")).GET(),
            "discovery");
    if (answer.status() != 200 || !(answer.json() instanceof JsonObject document)) {
      throw new SignInRefusedException("discovery_status_" + answer.status());
    }
    if (!provider.issuer().equals(text(document, "issuer"))) {
      throw new SignInRefusedException("discovery_issuer_mismatch");
    }
    return new ProviderEndpoints(
        endpoint(document, "authorization_endpoint"),
        endpoint(document, "token_endpoint"),
        endpoint(document, "jwks_uri"),
        null,
        null,
        document.getBoolean("authorization_response_iss_parameter_supported", false));
  }

  private static ProviderEndpoints github(UpstreamProvider provider) {
    String web = provider.issuer();
    String api = provider.apiUrl().toString();
    return new ProviderEndpoints(
        URI.create(web + "/login/oauth/authorize"),
        URI.create(web + "/login/oauth/access_token"),
        null,
        URI.create(api + "/user"),
        URI.create(api + "/user/emails"),
        false);
  }

  private static String text(JsonObject document, String name) {
    JsonValue value = document.get(name);
    return value instanceof JsonString s ? s.getString() : null;
  }

  private static URI endpoint(JsonObject document, String name) {
    String value = text(document, name);
    try {
      URI uri = value == null ? null : new URI(value);
      if (uri != null && UpstreamSettings.callable(uri)) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // refused below
    }
    throw new SignInRefusedException("discovery_bad_" + name);
  }
}
