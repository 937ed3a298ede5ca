package dev.portcullis.it;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * JUnit 5 extension giving test classes the one Portcullis server shared by the whole failsafe run
 * (started on first use, stopped when the run ends), and an {@link Api} client bound to it. When a
 * test fails it prints the last HTTP exchange and the end of the server log.
 *
 * <p>The server reads the OAuth clients file {@link #CLIENTS_FILE}: {@code it-file-legacy}
 * (confidential, {@code client_secret_post}, secret {@link #FILE_CLIENT_SECRET} from an environment
 * variable, PKCE exempt), {@code it-file-service} (client credentials, role {@code user}, secret
 * {@link #FILE_SERVICE_SECRET} given as its hash) and {@code it-file-spa} (public, consent
 * required).
 *
 * <p>Usage: {@code @ExtendWith(SharedServer.class) class FooIT { @Test void x(Api api) {...} }}
 */
public class SharedServer implements ParameterResolver, TestWatcher {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SharedServer.class);

  /** The OAuth clients file the shared server applies at start. */
  public static final Path CLIENTS_FILE = Path.of("it-tests", "resources", "oauth-clients.json");

  /** The secret of the file client {@code it-file-legacy} (given through the environment). */
  public static final String FILE_CLIENT_SECRET = "it-file-client-secret-0123456789-abcdefghij";

  /** The secret of the file client {@code it-file-service} (given as its SHA-256). */
  public static final String FILE_SERVICE_SECRET = "it-file-hashed-secret-0123456789-abcdefghij";

  /** The shared server, starting it if this is the first use in this JVM. */
  public static PortcullisServer server(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            "server",
            key ->
                new Holder(
                    PortcullisServer.start(
                        "shared",
                        Map.of(
                            "PORTCULLIS_CORS_ALLOWED_ORIGINS",
                            "https://app.example",
                            // Every shared-server IT calls from 127.0.0.1; the production
                            // per-IP limits are tested by RateLimitIT on a server of its own.
                            "PORTCULLIS_RATE_LIMIT_IP_ATTEMPTS",
                            "100000",
                            "PORTCULLIS_RATE_LIMIT_API_KEY_FAILURES",
                            "100000",
                            "PORTCULLIS_RATE_LIMIT_CLIENT_AUTH_FAILURES",
                            "100000",
                            "PORTCULLIS_CLIENTS_FILE",
                            CLIENTS_FILE.toAbsolutePath().toString(),
                            "PORTCULLIS_IT_FILE_CLIENT_SECRET",
                            FILE_CLIENT_SECRET))),
            Holder.class)
        .server();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    var type = parameter.getParameter().getType();
    return type == Api.class || type == PortcullisServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    var server = server(context);
    if (parameter.getParameter().getType() == PortcullisServer.class) {
      return server;
    }
    return context
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(context.getUniqueId() + "/api", key -> new Api(server), Api.class);
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    var api = context.getStore(NAMESPACE).get(context.getUniqueId() + "/api", Api.class);
    if (api != null) {
      System.err.println(
          "Last exchange of " + context.getDisplayName() + ":\n" + api.lastExchange());
      System.err.println("Server log tail:\n" + api.server().tail());
    }
  }

  /** Closes the server when the root context closes (end of the failsafe run). */
  private record Holder(PortcullisServer server)
      implements ExtensionContext.Store.CloseableResource, AutoCloseable {

    @Override
    public void close() {
      server.stop();
    }
  }
}
