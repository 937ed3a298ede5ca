package dev.portcullis.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.delegation.OAuthClients;
import dev.portcullis.it.Api;
import jakarta.json.JsonObject;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Upstream sign-in steps over plain HTTP, as a browser takes them but with every redirect looked at
 * instead of followed, and cookies carried by hand ({@code java.net.CookieManager} sends no {@code
 * Secure} cookie over http): start at Portcullis, let the provider redirect back, call the callback
 * with (or without) the browser-binding cookie. Each {@link Attempt} sends its own {@code
 * User-Agent}, so its audit events can be told apart. Stateless.
 */
final class CallbackSteps {

  static final String BINDING = "__Host-portcullis-upstream";
  static final String SESSION = "__Host-portcullis";

  private CallbackSteps() {}

  /**
   * A started sign-in: the start endpoint's answer, the provider URL it sends the browser to (with
   * its decoded query), the binding cookie it set, and the {@code User-Agent} used.
   */
  record Attempt(
      String provider,
      Api.Reply reply,
      String authorizationUrl,
      Map<String, String> query,
      String binding,
      String agent) {

    String state() {
      return query.get("state");
    }
  }

  /** {@code GET /login/oauth2/start/<provider>[?next=]}; fails unless it redirects upstream. */
  static Attempt start(Api api, String provider, String next) {
    String agent = Api.unique("UpstreamIT-agent");
    var reply =
        api.get(
            "/login/oauth2/start/"
                + provider
                + (next == null ? "" : "?next=" + ScriptedProvider.encode(next)),
            "User-Agent",
            agent);
    assertThat(reply.status()).as("the start answers 303").isEqualTo(303);
    String location = reply.header("Location");
    assertThat(location).as("the start's Location").isNotNull().startsWith("http://127.0.0.1:");
    String binding = Api.cookie(reply, BINDING);
    return new Attempt(
        provider,
        reply,
        location,
        OAuthClients.query(URI.create(location).getRawQuery()),
        binding,
        agent);
  }

  /**
   * Follows the start's redirect to the provider (which answers at once with a redirect to the
   * callback) and returns that callback URL; fails unless it points at Portcullis' callback.
   */
  static String authorize(Api api, Attempt attempt) {
    var reply = OAuthClients.getAt(api, attempt.authorizationUrl(), "User-Agent", attempt.agent());
    assertThat(reply.status()).as("the provider redirects back").isIn(302, 303);
    String callback = reply.header("Location");
    assertThat(callback)
        .as("the provider's redirect")
        .startsWith(api.server().issuer() + "/login/oauth2/callback/" + attempt.provider() + "?");
    return callback;
  }

  /** {@code GET callbackUrl} with {@code binding} as the binding cookie (none when null). */
  static Api.Reply callback(Api api, String callbackUrl, String binding, String agent) {
    return binding == null
        ? OAuthClients.getAt(api, callbackUrl, "User-Agent", agent)
        : OAuthClients.getAt(
            api, callbackUrl, "User-Agent", agent, "Cookie", BINDING + "=" + binding);
  }

  /** Path and query of {@code reply}'s Location, relative to Portcullis' base URL. */
  static String target(Api api, Api.Reply reply) {
    String location = reply.header("Location");
    assertThat(location).as("a Location").isNotNull();
    return location.startsWith(api.baseUrl())
        ? location.substring(api.baseUrl().length())
        : location;
  }

  /** The value of the session cookie {@code reply} sets (a non-empty one), or null. */
  static String sessionCookie(Api.Reply reply) {
    String value = Api.cookie(reply, SESSION);
    return value == null || value.isEmpty() ? null : value;
  }

  /** The {@code UPSTREAM_SIGN_IN} audit events written for requests from {@code agent}. */
  static List<JsonObject> signInEvents(Api api, String agent) {
    return events(api, "UPSTREAM_SIGN_IN", agent);
  }

  /** The audit events of {@code type} written for requests from {@code agent}, newest first. */
  static List<JsonObject> events(Api api, String type, String agent) {
    var reply =
        api.get(
            "/api/v1/admin/audit?type=" + type + "&limit=200",
            "Authorization",
            Api.bearer(api.adminToken()));
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json().getJsonArray("items").getValuesAs(JsonObject.class).stream()
        .filter(e -> agent.equals(e.getString("user_agent", null)))
        .toList();
  }

  /** How many local accounts exist. */
  static int users(Api api) {
    var reply =
        api.get("/api/v1/admin/users?limit=1", "Authorization", Api.bearer(api.adminToken()));
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json().getInt("total");
  }
}
