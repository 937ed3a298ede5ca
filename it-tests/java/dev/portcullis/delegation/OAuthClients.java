package dev.portcullis.delegation;

import static dev.portcullis.it.Api.formEncode;

import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.it.Api;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * OAuth 2.0 as a client sees Portcullis, written from SPEC 3.6 and the RFCs (not from Portcullis'
 * code): registering clients through the admin API, the token endpoint with either client
 * authentication (RFC 6749 2.3.1), the client-credentials grant, the authorization-code grant with
 * PKCE (RFC 7636) driven over plain HTTP with a signed-in session cookie, form posts to the other
 * OAuth endpoints, and reading a JWT's header and claims without verifying it (nimbus-jose-jwt,
 * never Portcullis' own code). Every method fails the test unless Portcullis answers as the RFC
 * says. Stateless.
 */
public final class OAuthClients {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String FORM = "application/x-www-form-urlencoded";

  private OAuthClients() {}

  /**
   * A registered client.
   *
   * @param id its {@code client_id}
   * @param secret its {@code client_secret} (shown once at registration), null for a public client
   */
  public record Client(String id, String secret) {

    /** {@code Authorization: Basic} for this client (RFC 6749 2.3.1: each part form-encoded). */
    public String basic() {
      String pair = formEncode(id) + ":" + formEncode(secret);
      return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** A registration body with the members every client has. */
  public static JsonObjectBuilder registration(String clientId, String name, String... grants) {
    var grantTypes = Json.createArrayBuilder();
    for (String grant : grants) {
      grantTypes.add(grant);
    }
    return Json.createObjectBuilder()
        .add("client_id", clientId)
        .add("name", name)
        .add("grant_types", grantTypes);
  }

  /** {@code values} as a JSON array. */
  public static jakarta.json.JsonArrayBuilder array(String... values) {
    var array = Json.createArrayBuilder();
    for (String value : values) {
      array.add(value);
    }
    return array;
  }

  /**
   * Registers {@code registration} with {@code POST /api/v1/admin/clients} as the bootstrap admin;
   * fails the test unless the answer is 201 naming the same {@code client_id} (with a {@code
   * client_secret} unless the client is public).
   */
  public static Client register(Api api, JsonObjectBuilder registration) {
    JsonObject body = registration.build();
    var reply =
        api.post("/api/v1/admin/clients", body.toString(), "Authorization", adminBearer(api));
    if (reply.status() != 201) {
      throw new AssertionError(
          "registering client "
              + body.getString("client_id")
              + " gave "
              + reply.status()
              + ": "
              + reply.body());
    }
    var created = reply.json();
    if (!body.getString("client_id").equals(created.getString("client_id", null))) {
      throw new AssertionError("the registration answered another client_id: " + reply.body());
    }
    boolean isPublic = "none".equals(body.getString("token_endpoint_auth_method", ""));
    String secret = created.getString("client_secret", null);
    if (!isPublic && (secret == null || secret.isBlank())) {
      throw new AssertionError("a confidential client got no client_secret");
    }
    return new Client(created.getString("client_id"), secret);
  }

  /** {@code GET url}, a full URL (another server than Portcullis), with {@code headers}. */
  public static Api.Reply getAt(Api api, String url, String... headers) {
    return api.send(HttpRequest.newBuilder(URI.create(url)).GET(), headers);
  }

  /** Posts {@code form} ({@code application/x-www-form-urlencoded}) to {@code path}. */
  public static Api.Reply postForm(Api api, String path, String form, String... headers) {
    var all = new java.util.ArrayList<>(List.of("Content-Type", FORM));
    all.addAll(List.of(headers));
    return api.send(
        HttpRequest.newBuilder(URI.create(api.baseUrl() + path))
            .POST(HttpRequest.BodyPublishers.ofString(form)),
        all.toArray(String[]::new));
  }

  /**
   * A client-credentials token of {@code client} (RFC 6749 4.4, {@code client_secret_basic}); fails
   * the test unless the answer is a 200 token response with {@code Cache-Control: no-store} and no
   * refresh token (RFC 6749 4.4.3).
   */
  public static JsonObject clientCredentials(Api api, Client client) {
    var reply =
        postForm(
            api, "/oauth2/token", "grant_type=client_credentials", "Authorization", client.basic());
    var tokens = tokenResponse(reply);
    if (tokens.containsKey("refresh_token")) {
      throw new AssertionError("a client-credentials grant gave a refresh token");
    }
    return tokens;
  }

  /**
   * The tokens a user gets for {@code client} through the authorization-code grant with PKCE S256,
   * as a browser would run it but over plain HTTP: sign in on the login form (the session cookie),
   * {@code GET /oauth2/authorize} with that cookie, take the code from the redirect to {@code
   * redirectUri} (never followed), redeem it with {@code client_secret_basic}.
   */
  public static JsonObject authorizationCode(
      Api api, Client client, String redirectUri, String scope, String username, String password) {
    String session = api.formLogin(username, password, "/account");
    if (session == null) {
      throw new AssertionError("the login form refused " + username);
    }
    String verifier = random(32);
    String state = random(16);
    String query =
        "response_type=code&client_id="
            + formEncode(client.id())
            + "&redirect_uri="
            + formEncode(redirectUri)
            + "&scope="
            + formEncode(scope)
            + "&state="
            + state
            + "&nonce="
            + random(16)
            + "&code_challenge="
            + s256(verifier)
            + "&code_challenge_method=S256";
    var authorization =
        api.get("/oauth2/authorize?" + query, "Cookie", "__Host-portcullis=" + session);
    String location = authorization.header("Location");
    if ((authorization.status() != 302 && authorization.status() != 303)
        || location == null
        || !location.startsWith(redirectUri + "?")) {
      throw new AssertionError(
          "the authorization request did not redirect to "
              + redirectUri
              + ": "
              + authorization.status()
              + " "
              + location);
    }
    var parameters = query(URI.create(location).getRawQuery());
    if (!state.equals(parameters.get("state")) || parameters.get("code") == null) {
      throw new AssertionError("the authorization response lacks the state or the code");
    }
    var reply =
        postForm(
            api,
            "/oauth2/token",
            "grant_type=authorization_code&code="
                + formEncode(parameters.get("code"))
                + "&redirect_uri="
                + formEncode(redirectUri)
                + "&code_verifier="
                + verifier,
            "Authorization",
            client.basic());
    return tokenResponse(reply);
  }

  /** The token response in {@code reply}; fails the test unless RFC 6749 5.1 holds. */
  public static JsonObject tokenResponse(Api.Reply reply) {
    if (reply.status() != 200) {
      throw new AssertionError("the token endpoint gave " + reply.status() + ": " + reply.body());
    }
    String cacheControl = reply.header("Cache-Control");
    if (cacheControl == null || !cacheControl.contains("no-store")) {
      throw new AssertionError("a token response without Cache-Control: no-store");
    }
    var tokens = reply.json();
    if (!"bearer".equalsIgnoreCase(tokens.getString("token_type", ""))
        || tokens.getString("access_token", "").isEmpty()) {
      throw new AssertionError("not a bearer token response: " + tokens.keySet());
    }
    return tokens;
  }

  /** The JOSE header of {@code jwt}, unverified. */
  public static Map<String, Object> header(String jwt) {
    try {
      return SignedJWT.parse(jwt).getHeader().toJSONObject();
    } catch (ParseException e) {
      throw new AssertionError("not a signed JWT", e);
    }
  }

  /** The claims of {@code jwt}, unverified. */
  public static Map<String, Object> claims(String jwt) {
    try {
      return SignedJWT.parse(jwt).getJWTClaimsSet().toJSONObject();
    } catch (ParseException e) {
      throw new AssertionError("not a signed JWT", e);
    }
  }

  /** {@code bytes} random bytes, base64url without padding. */
  public static String random(int bytes) {
    var value = new byte[bytes];
    RANDOM.nextBytes(value);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
  }

  /** The decoded parameters of a query string. */
  public static Map<String, String> query(String rawQuery) {
    var parameters = new HashMap<String, String>();
    if (rawQuery != null) {
      for (String pair : rawQuery.split("&")) {
        int eq = pair.indexOf('=');
        String key = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        parameters.put(
            URLDecoder.decode(key, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      }
    }
    return parameters;
  }

  private static String s256(String verifier) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String adminBearer(Api api) {
    return Api.bearer(api.adminToken());
  }
}
