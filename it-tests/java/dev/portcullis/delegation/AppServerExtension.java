package dev.portcullis.delegation;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * JUnit 5 extension owning one test class's {@link AppServer}: the class starts it once (in its
 * {@code @BeforeAll}, after registering its clients, since their redirect URIs name the server's
 * port) and all its tests share it; it is stopped after the class whatever happened, even when
 * {@code @BeforeAll} failed halfway. When a test fails it prints the end of the server's log.
 *
 * <p>Usage: {@code @RegisterExtension static final AppServerExtension APP = new
 * AppServerExtension("oidc-app");} then {@code APP.start(port, properties,
 * TestApps.oidc(APP.dir()))}.
 */
public final class AppServerExtension implements AfterAllCallback, TestWatcher {

  private final String name;
  private AppServer server;

  /** {@code name}: the server's directory under {@code target/it/}. */
  public AppServerExtension(String name) {
    this.name = name;
  }

  /** Where the server keeps its WARs and log. */
  public Path dir() {
    return AppServer.workDirOf(name);
  }

  /** Starts the server (see {@link AppServer#start}); at most once per class. */
  public AppServer start(int port, Map<String, String> systemProperties, Path... wars) {
    if (server != null) {
      throw new IllegalStateException("the application server " + name + " runs already");
    }
    server = AppServer.start(name, port, systemProperties, List.of(wars));
    return server;
  }

  /** Starts the server on WildFly (see {@link AppServer#startWildFly}); at most once per class. */
  public AppServer startWildFly(int port, Map<String, String> systemProperties, Path... wars) {
    if (server != null) {
      throw new IllegalStateException("the application server " + name + " runs already");
    }
    server = AppServer.startWildFly(name, port, systemProperties, List.of(wars));
    return server;
  }

  /** The running server. */
  public AppServer server() {
    if (server == null) {
      throw new IllegalStateException("the application server " + name + " was not started");
    }
    return server;
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    if (server != null) {
      System.err.println("Application server " + name + " log tail:\n" + server.tail());
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.stop();
      server = null;
    }
  }
}
