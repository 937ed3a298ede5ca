package dev.portcullis.it;

import static dev.portcullis.it.Api.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OAuth 2.0 client steps for integration tests, done the way a client library does them over plain
 * HTTP (RFC 6749, RFC 7636): registering clients through the admin API (SPEC 3.6), PKCE pairs,
 * authorization requests with a browser-session cookie, token requests. No Portcullis code.
 */
final class OAuthFlows {

  static final String CALLBACK = "https://app.example/callback";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Api api;

  OAuthFlows(Api api) {
    this.api = api;
  }

  /** A registered client; {@code secret} is null for public clients. */
  record Client(String id, String secret, JsonObject registration) {

    /** {@code Authorization: Basic} for client_secret_basic (RFC 6749 2.3.1). */
    String basic() {
      return "Basic "
          + Base64.getEncoder()
              .encodeToString(
                  (Api.formEncode(id) + ":" + Api.formEncode(secret))
                      .getBytes(StandardCharsets.UTF_8));
    }
  }

  /** A PKCE verifier and its S256 challenge. */
  record Pkce(String verifier, String challenge) {

    static Pkce create() {
      var bytes = new byte[32];
      RANDOM.nextBytes(bytes);
      String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      try {
        byte[] digest =
            MessageDigest.getInstance("SHA-256")
                .digest(verifier.getBytes(StandardCharsets.US_ASCII));
        return new Pkce(verifier, Base64.getUrlEncoder().withoutPadding().encodeToString(digest));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Registers a client from {@code registration} (JSON) and returns it with its secret. */
  Client register(String registration) {
    var reply =
        api.post("/api/v1/admin/clients", registration, "Authorization", bearer(api.adminToken()));
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    var json = reply.json();
    return new Client(
        json.getString("client_id"),
        json.containsKey("client_secret") ? json.getString("client_secret") : null,
        json);
  }

  /** A confidential client_secret_basic client for the code flow with refresh tokens. */
  Client confidential(String... extra) {
    return register(
        registration(
            "client_secret_basic",
            "[\"authorization_code\",\"refresh_token\"]",
            "[\"openid\",\"profile\",\"email\",\"groups\",\"offline_access\"]",
            extra));
  }

  static String registration(
      String authMethod, String grantTypes, String scopes, String... extraMembers) {
    var json = new StringBuilder();
    json.append("{\"name\":\"")
        .append(Api.unique("it-client"))
        .append("\",\"redirect_uris\":[\"")
        .append(CALLBACK)
        .append("\"],\"post_logout_redirect_uris\":[\"https://app.example/signed-out\"]")
        .append(",\"grant_types\":")
        .append(grantTypes)
        .append(",\"token_endpoint_auth_method\":\"")
        .append(authMethod)
        .append("\",\"scopes\":")
        .append(scopes);
    for (String member : extraMembers) {
      json.append(',').append(member);
    }
    return json.append('}').toString();
  }

  /** GET /oauth2/authorize with {@code params}, as the browser holding {@code cookie} would. */
  Api.Reply authorize(String cookie, Map<String, String> params) {
    var query = new StringBuilder();
    params.forEach(
        (name, value) ->
            query
                .append(query.length() == 0 ? "" : "&")
                .append(Api.formEncode(name))
                .append('=')
                .append(Api.formEncode(value)));
    String path = "/oauth2/authorize?" + query;
    return cookie == null ? api.get(path) : api.get(path, "Cookie", "__Host-portcullis=" + cookie);
  }

  /** Standard code-flow parameters with PKCE and a nonce. */
  static Map<String, String> codeRequest(Client client, Pkce pkce, String state, String nonce) {
    var params = new LinkedHashMap<String, String>();
    params.put("response_type", "code");
    params.put("client_id", client.id());
    params.put("redirect_uri", CALLBACK);
    params.put("scope", "openid profile email groups");
    params.put("state", state);
    if (nonce != null) {
      params.put("nonce", nonce);
    }
    if (pkce != null) {
      params.put("code_challenge", pkce.challenge());
      params.put("code_challenge_method", "S256");
    }
    return params;
  }

  /** The query parameters of a redirect's {@code Location}. */
  static Map<String, String> redirectParameters(Api.Reply reply) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(303);
    return query(URI.create(reply.header("Location")).getRawQuery());
  }

  static Map<String, String> query(String rawQuery) {
    var params = new LinkedHashMap<String, String>();
    if (rawQuery == null) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      params.put(
          URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return params;
  }

  /** The code of a successful authorization response. */
  String code(String cookie, Map<String, String> params) {
    var reply = authorize(cookie, params);
    var response = redirectParameters(reply);
    assertThat(reply.header("Location")).startsWith(params.get("redirect_uri"));
    assertThat(response).as(reply.header("Location")).containsKey("code");
    return response.get("code");
  }

  /** POST /oauth2/token with form {@code params} and extra headers. */
  Api.Reply token(Map<String, String> params, String... headers) {
    return form("/oauth2/token", params, headers);
  }

  Api.Reply form(String path, Map<String, String> params, String... headers) {
    var body = new StringBuilder();
    params.forEach(
        (name, value) ->
            body.append(body.length() == 0 ? "" : "&")
                .append(Api.formEncode(name))
                .append('=')
                .append(Api.formEncode(value)));
    String[] all = new String[headers.length + 2];
    all[0] = "Content-Type";
    all[1] = "application/x-www-form-urlencoded";
    System.arraycopy(headers, 0, all, 2, headers.length);
    return api.send(
        HttpRequest.newBuilder(URI.create(api.baseUrl() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body.toString())),
        all);
  }

  /** Redeems a code with client_secret_basic. */
  Api.Reply redeem(Client client, String code, Pkce pkce) {
    var params = new LinkedHashMap<String, String>();
    params.put("grant_type", "authorization_code");
    params.put("code", code);
    params.put("redirect_uri", CALLBACK);
    if (pkce != null) {
      params.put("code_verifier", pkce.verifier());
    }
    return token(params, "Authorization", client.basic());
  }

  /** Introspects {@code token} as {@code client}. */
  JsonObject introspect(Client client, String token) {
    var reply = form("/oauth2/introspect", Map.of("token", token), "Authorization", client.basic());
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json();
  }

  static String json(Map<String, String> members) {
    var builder = Json.createObjectBuilder();
    members.forEach(builder::add);
    return builder.build().toString();
  }
}
