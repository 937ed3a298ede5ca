package dev.portcullis.upstream;

import static dev.portcullis.upstream.ScriptedProvider.encode;
import static dev.portcullis.upstream.ScriptedProvider.query;
import static dev.portcullis.upstream.ScriptedProvider.random;
import static dev.portcullis.upstream.ScriptedProvider.respond;
import static dev.portcullis.upstream.ScriptedProvider.s256;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A GitHub-shaped OAuth 2.0 provider on loopback (GitHub's documented web application flow, not
 * OpenID): {@code GET /login/oauth/authorize} redirects straight back with a code and the state
 * (the "user" is {@link #signInAs}'s), {@code POST /login/oauth/access_token} redeems the code
 * (client secret, redirect URI and PKCE checked; JSON only when asked with {@code Accept:
 * application/json}, else form-encoded; a bad code is a 200 with {@code
 * error=bad_verification_code}, as GitHub does), and the REST API under {@code /api}: {@code GET
 * /api/user} and {@code GET /api/user/emails}, both requiring the access token. Thread-safe.
 */
public final class GitHubStub implements AutoCloseable {

  public static final String CLIENT_ID = "Iv1.portcullis-it";

  /** A GitHub account: numeric id, login, display name and its one (primary) e-mail. */
  public record User(long id, String login, String name, String email, boolean verified) {}

  private final HttpServer server;
  private final String clientSecret = random(20);
  private final Map<String, Grant> codes = new ConcurrentHashMap<>();
  private final Map<String, User> tokens = new ConcurrentHashMap<>();
  private volatile User next = new User(4711, "octo-it", "Octo IT", "octo@github.example", true);

  private record Grant(User user, String redirectUri, String challenge) {}

  private GitHubStub(HttpServer server) {
    this.server = server;
  }

  public static GitHubStub start() {
    try {
      var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      var stub = new GitHubStub(server);
      server.createContext("/", stub::handle);
      server.start();
      return stub;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The web base ({@code _ISSUER}). */
  public String webUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The REST base ({@code _API_URL}). */
  public String apiUrl() {
    return webUrl() + "/api";
  }

  public String clientSecret() {
    return clientSecret;
  }

  /** The account the next authorization signs in. */
  public void signInAs(User user) {
    next = user;
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      switch (exchange.getRequestURI().getPath()) {
        case "/login/oauth/authorize" -> authorize(exchange);
        case "/login/oauth/access_token" -> accessToken(exchange);
        case "/api/user" -> user(exchange);
        case "/api/user/emails" -> emails(exchange);
        default -> respond(exchange, 404, "application/json", "{\"message\":\"Not Found\"}");
      }
    }
  }

  private void authorize(HttpExchange exchange) throws IOException {
    var parameters = query(exchange.getRequestURI().getRawQuery());
    String redirectUri = parameters.get("redirect_uri");
    if (!CLIENT_ID.equals(parameters.get("client_id")) || redirectUri == null) {
      respond(exchange, 404, "text/html", "<p>unknown application</p>");
      return;
    }
    String code = random(15);
    codes.put(code, new Grant(next, redirectUri, parameters.get("code_challenge")));
    exchange
        .getResponseHeaders()
        .add(
            "Location",
            redirectUri
                + "?code="
                + encode(code)
                + "&state="
                + encode(parameters.getOrDefault("state", "")));
    exchange.sendResponseHeaders(302, -1);
  }

  private void accessToken(HttpExchange exchange) throws IOException {
    var form =
        query(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.US_ASCII));
    String accept = exchange.getRequestHeaders().getFirst("Accept");
    boolean json = accept != null && accept.contains("application/json");
    String id = form.get("client_id");
    String secret = form.get("client_secret");
    String basic = exchange.getRequestHeaders().getFirst("Authorization");
    if (basic != null && basic.regionMatches(true, 0, "Basic ", 0, 6)) {
      String pair =
          new String(
              Base64.getDecoder().decode(basic.substring(6).strip()), StandardCharsets.UTF_8);
      int colon = pair.indexOf(':');
      id = URLDecoder.decode(pair.substring(0, Math.max(colon, 0)), StandardCharsets.UTF_8);
      secret = URLDecoder.decode(pair.substring(colon + 1), StandardCharsets.UTF_8);
    }
    if (!CLIENT_ID.equals(id) || !clientSecret.equals(secret)) {
      answer(exchange, json, Map.of("error", "incorrect_client_credentials"));
      return;
    }
    Grant grant = codes.remove(form.getOrDefault("code", ""));
    if (grant == null
        || (form.get("redirect_uri") != null
            && !grant.redirectUri().equals(form.get("redirect_uri")))
        || (grant.challenge() != null
            && !grant.challenge().equals(s256(form.getOrDefault("code_verifier", ""))))) {
      answer(exchange, json, Map.of("error", "bad_verification_code"));
      return;
    }
    String token = "gho_" + random(27);
    tokens.put(token, grant.user());
    answer(
        exchange,
        json,
        Map.of("access_token", token, "token_type", "bearer", "scope", "read:user,user:email"));
  }

  private static void answer(HttpExchange exchange, boolean json, Map<String, String> fields)
      throws IOException {
    if (json) {
      var body = Json.createObjectBuilder();
      fields.forEach(body::add);
      respond(exchange, 200, "application/json; charset=utf-8", body.build().toString());
    } else {
      var body = new StringBuilder();
      fields.forEach(
          (k, v) ->
              body.append(body.length() == 0 ? "" : "&").append(k).append('=').append(encode(v)));
      respond(exchange, 200, "application/x-www-form-urlencoded; charset=utf-8", body.toString());
    }
  }

  private User caller(HttpExchange exchange) throws IOException {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    User user = null;
    if (authorization != null) {
      String lower = authorization.toLowerCase(java.util.Locale.ROOT);
      if (lower.startsWith("bearer ") || lower.startsWith("token ")) {
        user = tokens.get(authorization.substring(authorization.indexOf(' ') + 1).strip());
      }
    }
    if (user == null) {
      respond(exchange, 401, "application/json", "{\"message\":\"Requires authentication\"}");
    }
    return user;
  }

  private void user(HttpExchange exchange) throws IOException {
    User user = caller(exchange);
    if (user != null) {
      respond(
          exchange,
          200,
          "application/json; charset=utf-8",
          Json.createObjectBuilder()
              .add("id", user.id())
              .add("login", user.login())
              .add("name", user.name())
              .addNull("email")
              .add("type", "User")
              .build()
              .toString());
    }
  }

  private void emails(HttpExchange exchange) throws IOException {
    User user = caller(exchange);
    if (user != null) {
      respond(
          exchange,
          200,
          "application/json; charset=utf-8",
          Json.createArrayBuilder()
              .add(
                  Json.createObjectBuilder()
                      .add("email", user.login() + "-secondary@github.example")
                      .add("primary", false)
                      .add("verified", false)
                      .addNull("visibility"))
              .add(
                  Json.createObjectBuilder()
                      .add("email", user.email())
                      .add("primary", true)
                      .add("verified", user.verified())
                      .add("visibility", "private"))
              .build()
              .toString());
    }
  }
}
