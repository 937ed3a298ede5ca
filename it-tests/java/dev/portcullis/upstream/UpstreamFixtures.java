package dev.portcullis.upstream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;

/**
 * The upstream providers the upstream sign-in ITs sign in with, all real HTTP servers on {@code
 * 127.0.0.1} (never mocks inside Portcullis' JVM), and the {@code PORTCULLIS_UPSTREAM_*} settings
 * that configure them in Portcullis:
 *
 * <ul>
 *   <li>{@code mock}, {@code corp}, {@code domains}: three issuers of one {@code
 *       no.nav.security:mock-oauth2-server} with its interactive login page (any subject, claims as
 *       JSON) — {@code mock} provisions, {@code corp} does not (sign-in only through a link),
 *       {@code domains} provisions only verified {@code example.com} addresses;
 *   <li>{@code scripted}: {@link ScriptedProvider}, whose ID tokens the test writes (hostile ones
 *       too), provisioning on;
 *   <li>{@code github}: {@link GitHubStub}, the {@code github} kind, provisioning on;
 *   <li>{@code down}: an issuer on a port nothing listens on.
 * </ul>
 *
 * Each call to a provider is bounded by {@code PORTCULLIS_UPSTREAM_TIMEOUT=PT3S}. Started once per
 * JVM by {@code DelegationProvider}, whose Portcullis (issuer = its own reachable base URL, so the
 * callback URI works) they are configured in; closed with it.
 */
public final class UpstreamFixtures implements AutoCloseable {

  /** The providers in the order of the sign-in buttons. */
  public static final List<String> PROVIDERS =
      List.of("mock", "corp", "domains", "scripted", "github", "down");

  /** The bound on each call to a provider that the server is configured with. */
  public static final int TIMEOUT_SECONDS = 3;

  private final MockOAuth2Server mock;
  private final ScriptedProvider scripted;
  private final GitHubStub github;
  private final String downIssuer;
  private final Map<String, String> secrets = new LinkedHashMap<>();

  private UpstreamFixtures(
      MockOAuth2Server mock, ScriptedProvider scripted, GitHubStub github, String downIssuer) {
    this.mock = mock;
    this.scripted = scripted;
    this.github = github;
    this.downIssuer = downIssuer;
    for (String id : List.of("mock", "corp", "domains")) {
      secrets.put(id, "mock-secret-" + id + "-" + ScriptedProvider.random(16));
    }
    secrets.put("scripted", scripted.clientSecret());
    secrets.put("github", github.clientSecret());
    secrets.put("down", "down-secret-" + ScriptedProvider.random(16));
  }

  /** Starts every provider; stops the ones started if one fails. */
  public static UpstreamFixtures start() {
    // interactive login: the browser tests fill in mock-oauth2-server's own login form
    var mock = new MockOAuth2Server(new OAuth2Config(true));
    ScriptedProvider scripted = null;
    try {
      mock.start(InetAddress.getLoopbackAddress(), 0);
      scripted = ScriptedProvider.start();
      var github = GitHubStub.start();
      return new UpstreamFixtures(mock, scripted, github, "http://127.0.0.1:" + unusedPort());
    } catch (RuntimeException e) {
      mock.shutdown();
      if (scripted != null) {
        scripted.close();
      }
      throw e;
    }
  }

  public MockOAuth2Server mock() {
    return mock;
  }

  public ScriptedProvider scripted() {
    return scripted;
  }

  public GitHubStub github() {
    return github;
  }

  /**
   * The issuer of {@code id} at mock-oauth2-server ({@code mock}, {@code corp}, {@code domains}).
   */
  public String mockIssuer(String id) {
    return "http://127.0.0.1:" + mock.baseUrl().port() + "/" + id;
  }

  /** The client id Portcullis is registered with at provider {@code id}. */
  public String clientId(String id) {
    return switch (id) {
      case "scripted" -> ScriptedProvider.CLIENT_ID;
      case "github" -> GitHubStub.CLIENT_ID;
      default -> "portcullis-" + id;
    };
  }

  /** The configured issuer (for github: the web base) of provider {@code id}. */
  public String issuer(String id) {
    return switch (id) {
      case "scripted" -> scripted.issuer();
      case "github" -> github.webUrl();
      case "down" -> downIssuer;
      default -> mockIssuer(id);
    };
  }

  /** Every client secret Portcullis holds for the providers (none may reach its log). */
  public List<String> clientSecrets() {
    return List.copyOf(secrets.values());
  }

  /** The {@code PORTCULLIS_UPSTREAM_*} settings of all providers. */
  public Map<String, String> settings() {
    var settings = new LinkedHashMap<String, String>();
    settings.put("PORTCULLIS_UPSTREAM_PROVIDERS", String.join(",", PROVIDERS));
    settings.put("PORTCULLIS_UPSTREAM_TIMEOUT", "PT" + TIMEOUT_SECONDS + "S");
    provider(settings, "mock", "oidc", "Mock ID", "on");
    provider(settings, "corp", "oidc", "Corp SSO", "off");
    provider(settings, "domains", "oidc", "Example.com staff", "on");
    settings.put("PORTCULLIS_UPSTREAM_DOMAINS_ALLOWED_DOMAINS", "example.com");
    provider(settings, "scripted", "oidc", "Scripted", "on");
    provider(settings, "github", "github", "GitHub", "on");
    settings.put("PORTCULLIS_UPSTREAM_GITHUB_API_URL", github.apiUrl());
    provider(settings, "down", "oidc", "Down", "on");
    return settings;
  }

  private void provider(
      Map<String, String> settings, String id, String kind, String name, String provisioning) {
    String prefix = "PORTCULLIS_UPSTREAM_" + id.toUpperCase(java.util.Locale.ROOT) + "_";
    settings.put(prefix + "KIND", kind);
    settings.put(prefix + "ISSUER", issuer(id));
    settings.put(prefix + "CLIENT_ID", clientId(id));
    settings.put(prefix + "CLIENT_SECRET", secrets.get(id));
    settings.put(prefix + "DISPLAY_NAME", name);
    settings.put(prefix + "PROVISIONING", provisioning);
  }

  @Override
  public void close() {
    mock.shutdown();
    scripted.close();
    github.close();
  }

  /** A port that was free a moment ago and that nothing here listens on. */
  private static int unusedPort() {
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
