package dev.portcullis.it.browser;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A web origin other than the server under test, for attacker pages (cross-site request forgery)
 * and browser probes. It listens on the loopback interface on a random port, so a browser reaches
 * it as {@code http://localhost:<port>} (a different <em>site</em> from {@code 127.0.0.1}: the
 * {@code SameSite} cookie rules apply) or as {@code http://127.0.0.1:<port>} (the same site as the
 * server, but a different <em>origin</em>: a {@code SameSite=Lax} cookie is still sent, so only the
 * server's own CSRF check stands in the way).
 *
 * <p>Thread-safe; {@link #close()} stops it.
 */
public final class OtherSite implements AutoCloseable {

  private final HttpServer server;
  private final Map<String, String> pages = new ConcurrentHashMap<>();

  private OtherSite(HttpServer server) {
    this.server = server;
  }

  public static OtherSite start() {
    try {
      var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      var site = new OtherSite(server);
      server.createContext(
          "/",
          exchange -> {
            String html = site.pages.get(exchange.getRequestURI().getPath());
            byte[] body = (html == null ? "not found" : html).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(html == null ? 404 : 200, body.length);
            try (var out = exchange.getResponseBody()) {
              out.write(body);
            }
          });
      server.start();
      return site;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Serves {@code html} at {@code path}. */
  public void page(String path, String html) {
    pages.put(path, html);
  }

  /** The URL of {@code path} on this site under {@code host} ({@code localhost} or an IP). */
  public String url(String host, String path) {
    return "http://" + host + ":" + server.getAddress().getPort() + path;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
