package dev.portcullis.upstream;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenID provider on loopback whose token endpoint answers what the test scripts: a JDK {@link
 * HttpServer} serving discovery, its JWKS (one RSA key, kid {@code scripted-1}), an authorization
 * endpoint that redirects straight back with a code (no login page: the "user" is whoever the
 * script names) and a token endpoint that checks the client, the code (single use), the redirect
 * URI and the PKCE verifier like a real provider, then answers with the current {@link Script}. ID
 * tokens are built and signed with Nimbus, never with Portcullis code, so a test can make any of
 * them wrong on purpose (nonce, key, {@code alg}, {@code exp}, {@code aud}, {@code iss}), or make
 * the endpoint slow or fail.
 *
 * <p>Thread-safe; one script at a time (the ITs run one test at a time).
 */
public final class ScriptedProvider implements AutoCloseable {

  public static final String CLIENT_ID = "portcullis-scripted";
  public static final String KEY_ID = "scripted-1";

  private static final SecureRandom RANDOM = new SecureRandom();

  /** What the authorization endpoint was asked (its query parameters) and the code it gave. */
  public record Authorization(Map<String, String> parameters, String code) {

    public String nonce() {
      return parameters.get("nonce");
    }

    public String state() {
      return parameters.get("state");
    }
  }

  /** An answer of the token endpoint, given after {@code delay}. */
  public record Answer(int status, String contentType, String body, Duration delay) {

    /** A successful token response carrying {@code idToken}. */
    public static Answer idToken(String idToken) {
      String body =
          Json.createObjectBuilder()
              .add("access_token", "scripted-at-" + random(24))
              .add("token_type", "Bearer")
              .add("expires_in", 300)
              .add("id_token", idToken)
              .build()
              .toString();
      return new Answer(200, "application/json", body, Duration.ZERO);
    }

    public Answer after(Duration wait) {
      return new Answer(status, contentType, body, wait);
    }
  }

  /** Decides the token endpoint's answer to a valid redemption of {@code authorization}. */
  @FunctionalInterface
  public interface Script {
    Answer answer(Authorization authorization) throws Exception;
  }

  private final HttpServer server;
  private final RSAKey key;
  private final String clientSecret = random(24);
  private final Map<String, Authorization> codes = new ConcurrentHashMap<>();
  private final List<Authorization> authorizations = new CopyOnWriteArrayList<>();
  private final AtomicInteger redemptions = new AtomicInteger();
  private final List<String> handedOut = new CopyOnWriteArrayList<>();
  private volatile Script script;

  private ScriptedProvider(HttpServer server, RSAKey key) {
    this.server = server;
    this.key = key;
    this.script = this::valid;
  }

  /** Starts the provider on {@code 127.0.0.1} and a free port. */
  public static ScriptedProvider start() {
    try {
      var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      var provider =
          new ScriptedProvider(
              server,
              new RSAKeyGenerator(2048).keyID(KEY_ID).algorithm(JWSAlgorithm.RS256).generate());
      server.createContext("/", provider::handle);
      // a slow answer must not hold up the next request
      server.setExecutor(Executors.newCachedThreadPool());
      server.start();
      return provider;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  public String issuer() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public String clientSecret() {
    return clientSecret;
  }

  /** The signing key (private part included), for tests that need it. */
  public RSAKey key() {
    return key;
  }

  /** Makes the token endpoint answer with {@code next} from now on. */
  public void script(Script next) {
    script = next;
  }

  /** Back to valid ID tokens for a fixed subject. */
  public void reset() {
    script = this::valid;
  }

  /** How many codes the token endpoint has redeemed (validly) so far. */
  public int redemptions() {
    return redemptions.get();
  }

  /**
   * Every code, access token and ID token this provider has handed out (none may appear in
   * Portcullis' log).
   */
  public List<String> handedOut() {
    return List.copyOf(handedOut);
  }

  /** The authorization requests received so far, oldest first. */
  public List<Authorization> authorizations() {
    return List.copyOf(authorizations);
  }

  /**
   * The claims of a valid ID token for {@code authorization}: this issuer, {@code aud} the client,
   * its nonce, issued now, expiring in five minutes, for {@code subject} with a verified e-mail.
   */
  public JWTClaimsSet.Builder claims(Authorization authorization, String subject) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(issuer())
        .subject(subject)
        .audience(CLIENT_ID)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
        .claim("nonce", authorization.nonce())
        .claim("preferred_username", subject)
        .claim("email", subject + "@scripted.example")
        .claim("email_verified", true);
  }

  /** {@code claims} signed RS256 with this provider's key (kid {@code scripted-1}). */
  public String sign(JWTClaimsSet claims) {
    return sign(claims, key);
  }

  /** {@code claims} signed RS256 with {@code signingKey}, its kid in the header. */
  public static String sign(JWTClaimsSet claims, RSAKey signingKey) {
    try {
      var jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID()).build(),
              claims);
      jwt.sign(new RSASSASigner(signingKey));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private Answer valid(Authorization authorization) {
    return Answer.idToken(sign(claims(authorization, "scripted-user").build()));
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      switch (path) {
        case "/.well-known/openid-configuration" -> discovery(exchange);
        case "/jwks" ->
            respond(exchange, 200, "application/json", new JWKSet(key.toPublicJWK()).toString());
        case "/authorize" -> authorize(exchange);
        case "/token" -> token(exchange);
        default -> respond(exchange, 404, "text/plain", "not found");
      }
    } catch (RuntimeException e) {
      e.printStackTrace();
      throw e;
    }
  }

  private void discovery(HttpExchange exchange) throws IOException {
    String issuer = issuer();
    String body =
        Json.createObjectBuilder()
            .add("issuer", issuer)
            .add("authorization_endpoint", issuer + "/authorize")
            .add("token_endpoint", issuer + "/token")
            .add("jwks_uri", issuer + "/jwks")
            .add("response_types_supported", Json.createArrayBuilder().add("code"))
            .add("subject_types_supported", Json.createArrayBuilder().add("public"))
            .add("id_token_signing_alg_values_supported", Json.createArrayBuilder().add("RS256"))
            .add("code_challenge_methods_supported", Json.createArrayBuilder().add("S256"))
            .add(
                "token_endpoint_auth_methods_supported",
                Json.createArrayBuilder().add("client_secret_basic").add("client_secret_post"))
            .add("authorization_response_iss_parameter_supported", true)
            .build()
            .toString();
    respond(exchange, 200, "application/json", body);
  }

  private void authorize(HttpExchange exchange) throws IOException {
    var parameters = query(exchange.getRequestURI().getRawQuery());
    String redirectUri = parameters.get("redirect_uri");
    if (!CLIENT_ID.equals(parameters.get("client_id")) || redirectUri == null) {
      respond(exchange, 400, "text/plain", "unknown client or no redirect_uri");
      return;
    }
    String code = "scripted-code-" + random(24);
    var authorization = new Authorization(Map.copyOf(parameters), code);
    authorizations.add(authorization);
    handedOut.add(code);
    codes.put(code, authorization);
    exchange
        .getResponseHeaders()
        .add(
            "Location",
            redirectUri
                + (redirectUri.contains("?") ? "&" : "?")
                + "code="
                + encode(code)
                + "&state="
                + encode(parameters.getOrDefault("state", ""))
                + "&iss="
                + encode(issuer()));
    exchange.sendResponseHeaders(303, -1);
  }

  private void token(HttpExchange exchange) throws IOException {
    if (!"POST".equals(exchange.getRequestMethod())) {
      respond(exchange, 405, "text/plain", "POST only");
      return;
    }
    var form =
        query(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.US_ASCII));
    if (!clientAuthenticated(exchange, form)) {
      respond(exchange, 401, "application/json", "{\"error\":\"invalid_client\"}");
      return;
    }
    Authorization authorization = codes.remove(form.getOrDefault("code", ""));
    if (!"authorization_code".equals(form.get("grant_type"))
        || authorization == null
        || !authorization.parameters().get("redirect_uri").equals(form.get("redirect_uri"))
        || !"S256".equals(authorization.parameters().get("code_challenge_method"))
        || !s256(form.getOrDefault("code_verifier", ""))
            .equals(authorization.parameters().get("code_challenge"))) {
      respond(exchange, 400, "application/json", "{\"error\":\"invalid_grant\"}");
      return;
    }
    redemptions.incrementAndGet();
    Answer answer;
    try {
      answer = script.answer(authorization);
    } catch (Exception e) {
      throw new IllegalStateException("the token script failed", e);
    }
    if (answer.status() == 200 && answer.body().startsWith("{")) {
      try (var reader = Json.createReader(new java.io.StringReader(answer.body()))) {
        reader
            .readObject()
            .forEach(
                (name, value) -> {
                  if (name.endsWith("token") && value instanceof jakarta.json.JsonString token) {
                    handedOut.add(token.getString());
                  }
                });
      }
    }
    if (!answer.delay().isZero()) {
      try {
        Thread.sleep(answer.delay().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    exchange.getResponseHeaders().add("Cache-Control", "no-store");
    respond(exchange, answer.status(), answer.contentType(), answer.body());
  }

  private boolean clientAuthenticated(HttpExchange exchange, Map<String, String> form) {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      String pair =
          new String(
              Base64.getDecoder().decode(authorization.substring(6).strip()),
              StandardCharsets.UTF_8);
      int colon = pair.indexOf(':');
      return colon > 0
          && CLIENT_ID.equals(URLDecoder.decode(pair.substring(0, colon), StandardCharsets.UTF_8))
          && clientSecret.equals(
              URLDecoder.decode(pair.substring(colon + 1), StandardCharsets.UTF_8));
    }
    return CLIENT_ID.equals(form.get("client_id"))
        && clientSecret.equals(form.get("client_secret"));
  }

  static void respond(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
  }

  /** The decoded parameters of a query string or form body. */
  static Map<String, String> query(String raw) {
    var parameters = new LinkedHashMap<String, String>();
    if (raw != null && !raw.isEmpty()) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        parameters.putIfAbsent(
            URLDecoder.decode(name, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      }
    }
    return parameters;
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  static String s256(String verifier) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String random(int bytes) {
    var value = new byte[bytes];
    RANDOM.nextBytes(value);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
  }
}
