package dev.portcullis.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A small HTTP client for the Portcullis API used by integration tests. It remembers the last
 * exchange so a failing test can print it. Credentials in it are test fixtures only.
 */
public final class Api {

  private static final Pattern VIEW_STATE =
      Pattern.compile("name=\"jakarta.faces.ViewState\"[^>]*value=\"([^\"]+)\"");

  private final PortcullisServer server;
  private final HttpClient client =
      HttpClient.newBuilder()
          // like a browser or proxy speaking plain HTTP; never Grizzly's h2c upgrade (see README)
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private volatile String lastExchange = "(none)";

  public Api(PortcullisServer server) {
    this.server = server;
  }

  public PortcullisServer server() {
    return server;
  }

  public String baseUrl() {
    return server.baseUrl();
  }

  /** A response with its body read as text. */
  public record Reply(int status, Map<String, List<String>> headers, String body) {

    public String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .flatMap(e -> e.getValue().stream())
          .findFirst()
          .orElse(null);
    }

    public JsonObject json() {
      try (var reader = Json.createReader(new StringReader(body))) {
        return reader.readObject();
      }
    }

    public String code() {
      return json().getString("code", null);
    }
  }

  public Reply get(String path, String... headers) {
    return send(HttpRequest.newBuilder(uri(path)).GET(), headers);
  }

  public Reply post(String path, String json, String... headers) {
    var builder =
        HttpRequest.newBuilder(uri(path))
            .POST(
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      builder.header("Content-Type", "application/json");
    }
    return send(builder, headers);
  }

  public Reply put(String path, String json, String... headers) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .PUT(HttpRequest.BodyPublishers.ofString(json))
            .header("Content-Type", "application/json"),
        headers);
  }

  public Reply send(HttpRequest.Builder builder, String... headers) {
    for (int i = 0; i + 1 < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
    }
    var request = builder.timeout(Duration.ofSeconds(30)).build();
    try {
      var response = client.send(request, HttpResponse.BodyHandlers.ofString());
      var reply = new Reply(response.statusCode(), response.headers().map(), response.body());
      lastExchange =
          request.method()
              + " "
              + request.uri()
              + "\n-> "
              + reply.status()
              + " "
              + reply.headers()
              + "\n"
              + reply.body();
      return reply;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Submits the login form like a browser (fresh page, its view state and JSESSIONID). */
  public Reply submitLoginForm(String username, String password, String next) {
    var page = get("/login");
    var state = VIEW_STATE.matcher(page.body());
    if (page.status() != 200 || !state.find()) {
      throw new AssertionError("no login form: " + page.status() + " " + page.body());
    }
    String form =
        "login=login&login%3Anext="
            + formEncode(next)
            + "&login%3Ausername="
            + formEncode(username)
            + "&login%3Apassword="
            + formEncode(password)
            + "&login%3Asubmit=Sign+in&jakarta.faces.ViewState="
            + formEncode(state.group(1));
    return send(
        HttpRequest.newBuilder(uri("/login")).POST(HttpRequest.BodyPublishers.ofString(form)),
        "Content-Type",
        "application/x-www-form-urlencoded",
        "Cookie",
        "JSESSIONID=" + cookie(page, "JSESSIONID"));
  }

  /** Logs in through the form and returns the session cookie value, or null if refused. */
  public String formLogin(String username, String password, String next) {
    var reply = submitLoginForm(username, password, next);
    return reply.status() == 302 || reply.status() == 303
        ? cookie(reply, "__Host-portcullis")
        : null;
  }

  /** The id of the browser session that {@code cookie} (a session cookie value) belongs to. */
  public String currentSessionId(String cookie) {
    return get("/api/v1/sessions", "Cookie", "__Host-portcullis=" + cookie)
        .json()
        .getJsonArray("items")
        .stream()
        .map(v -> v.asJsonObject())
        .filter(o -> o.getBoolean("current"))
        .findFirst()
        .orElseThrow()
        .getString("id");
  }

  /** The value {@code reply} sets for cookie {@code name}, or null. */
  public static String cookie(Reply reply, String name) {
    for (var entry : reply.headers().entrySet()) {
      if (entry.getKey().equalsIgnoreCase("set-cookie")) {
        for (String header : entry.getValue()) {
          if (header.startsWith(name + "=")) {
            return header.substring(name.length() + 1, header.indexOf(';'));
          }
        }
      }
    }
    return null;
  }

  /** The whole {@code Set-Cookie} header {@code reply} sends for cookie {@code name}, or null. */
  public static String setCookieHeader(Reply reply, String name) {
    return reply.headers().entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase("set-cookie"))
        .flatMap(e -> e.getValue().stream())
        .filter(h -> h.startsWith(name + "="))
        .findFirst()
        .orElse(null);
  }

  /**
   * Sends {@code parts} as one raw HTTP/1.1 exchange to {@code 127.0.0.1:port} from a socket bound
   * to {@code localAddress} (another loopback address plays another client), and returns the whole
   * answer as text. The request should say {@code Connection: close}.
   */
  public static String rawExchange(String localAddress, int port, byte[]... parts) {
    try (var socket = new Socket()) {
      socket.bind(new InetSocketAddress(localAddress, 0));
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout(30_000);
      var out = socket.getOutputStream();
      for (byte[] part : parts) {
        out.write(part);
      }
      out.flush();
      var response = new ByteArrayOutputStream();
      socket.getInputStream().transferTo(response);
      return response.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code value} encoded for an {@code application/x-www-form-urlencoded} body. */
  public static String formEncode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  public String lastExchange() {
    return lastExchange;
  }

  /** Logs in and returns the token response; fails the test unless it is 200. */
  public JsonObject login(String username, String password) {
    var reply = post("/api/v1/auth/login", credentials(username, password));
    // a fixture, not the test: honour a 503's Retry-After a few times, as clients are told to
    // (a shared server's pooled connections die while DatabaseFaultIT stops PostgreSQL, and the
    // first request after the restart may still meet one)
    for (int retry = 0; retry < 5 && reply.status() == 503; retry++) {
      pause(reply);
      reply = post("/api/v1/auth/login", credentials(username, password));
    }
    if (reply.status() != 200) {
      throw new AssertionError(
          "login of " + username + " gave " + reply.status() + ": " + reply.body());
    }
    return reply.json();
  }

  private static void pause(Reply reply) {
    try {
      Thread.sleep(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String adminToken() {
    return login(server.adminUsername(), server.adminPassword()).getString("access_token");
  }

  /** Creates a user through the admin API and returns its JSON. */
  public JsonObject createUser(String username, String password, String... roles) {
    var roleArray = Json.createArrayBuilder();
    for (String role : roles) {
      roleArray.add(role);
    }
    var body =
        Json.createObjectBuilder()
            .add("username", username)
            .add("password", password)
            .add("roles", roleArray)
            .build()
            .toString();
    var reply = post("/api/v1/admin/users", body, "Authorization", "Bearer " + adminToken());
    if (reply.status() != 201) {
      throw new AssertionError(
          "creating " + username + " gave " + reply.status() + ": " + reply.body());
    }
    return reply.json();
  }

  public static String credentials(String username, String password) {
    return Json.createObjectBuilder()
        .add("username", username)
        .add("password", password)
        .build()
        .toString();
  }

  public static String bearer(String token) {
    return "Bearer " + token;
  }

  /** A unique name for test fixtures. */
  public static String unique(String prefix) {
    return prefix + "-" + Long.toString(System.nanoTime(), 36);
  }

  private URI uri(String path) {
    return URI.create(baseUrl() + path);
  }

  static List<String> list(String... values) {
    return new ArrayList<>(List.of(values));
  }
}
