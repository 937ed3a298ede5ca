package dev.portcullis.delegation;

import dev.portcullis.it.Api;
import dev.portcullis.it.PortcullisServer;
import dev.portcullis.upstream.UpstreamFixtures;
import java.util.HashMap;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * JUnit 5 extension giving the delegation ITs the Portcullis their test applications delegate to,
 * and an {@link Api} client bound to it. One server for every delegation IT of the failsafe run
 * (started on first use, stopped when the run ends), separate from {@code SharedServer}'s because
 * relying parties need two things that one lacks:
 *
 * <ul>
 *   <li>the issuer is the server's own base URL ({@code http://127.0.0.1:<port>}, {@link
 *       PortcullisServer#startAsOwnIssuer}): an OpenID client discovers the provider at its issuer,
 *       sends the browser to the endpoints the discovery document names, and checks each ID token's
 *       {@code iss} against it (the shared server's issuer is a proxy's public {@code https://}
 *       name, unreachable here);
 *   <li>{@code service} is a known role ({@code PORTCULLIS_ROLES}), for client-credentials tokens
 *       of services.
 * </ul>
 *
 * <p>The upstream sign-in ITs ({@code dev.portcullis.upstream}) share it for the same first reason:
 * the redirect URI registered upstream is {@code <issuer>/login/oauth2/callback/<id>}. Their
 * providers ({@link UpstreamFixtures}) start before it, are configured in it and stop after it.
 *
 * <p>When a test fails it prints the last HTTP exchange and the end of Portcullis' log.
 *
 * <p>Usage: {@code @ExtendWith(DelegationProvider.class) class FooIT { @Test void x(Api api) {...}
 * }}; not with {@code SharedServer} on the same class (both resolve {@link Api}).
 */
public class DelegationProvider implements ParameterResolver, TestWatcher {

  /** The roles the provider knows: the defaults and {@code service}, for service clients. */
  public static final String ROLES = "user,admin,service";

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(DelegationProvider.class);

  /** The provider, starting it if this is the first use in this JVM. */
  public static PortcullisServer server(ExtensionContext context) {
    return holder(context).server();
  }

  /**
   * The upstream providers ({@link UpstreamFixtures}) this server is configured with, started with
   * it (first use in this JVM) and stopped with it.
   */
  public static UpstreamFixtures upstream(ExtensionContext context) {
    return holder(context).upstream();
  }

  private static Holder holder(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent("server", key -> start(), Holder.class);
  }

  private static Holder start() {
    var upstream = UpstreamFixtures.start();
    try {
      var settings = new HashMap<>(upstream.settings());
      settings.put("PORTCULLIS_ROLES", ROLES);
      // every delegation IT calls from 127.0.0.1, like the shared server's
      settings.put("PORTCULLIS_RATE_LIMIT_IP_ATTEMPTS", "100000");
      settings.put("PORTCULLIS_RATE_LIMIT_API_KEY_FAILURES", "100000");
      return new Holder(
          withServiceRole(PortcullisServer.startAsOwnIssuer("delegation", settings)), upstream);
    } catch (RuntimeException | Error e) {
      upstream.close();
      throw e;
    }
  }

  /**
   * Gives the bootstrap administrator the {@code service} role, as an operator would before
   * registering service clients: a client's roles must lie within the registering admin's own.
   */
  private static PortcullisServer withServiceRole(PortcullisServer server) {
    var api = new Api(server);
    String token = api.adminToken();
    String id = api.get("/api/v1/me", "Authorization", Api.bearer(token)).json().getString("id");
    var reply =
        api.put(
            "/api/v1/admin/users/" + id + "/roles",
            "{\"roles\":[\"user\",\"admin\",\"service\"]}",
            "Authorization",
            Api.bearer(token));
    if (reply.status() != 200 && reply.status() != 204) {
      throw new AssertionError(
          "granting the admin the service role: " + reply.status() + " " + reply.body());
    }
    return server;
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    var type = parameter.getParameter().getType();
    return type == Api.class || type == PortcullisServer.class || type == UpstreamFixtures.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    var server = server(context);
    if (parameter.getParameter().getType() == UpstreamFixtures.class) {
      return upstream(context);
    }
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
      System.err.println("Portcullis log tail:\n" + api.server().tail());
    }
  }

  /**
   * Closes the server, then its upstream providers, when the root context closes (end of the
   * failsafe run).
   */
  private record Holder(PortcullisServer server, UpstreamFixtures upstream)
      implements ExtensionContext.Store.CloseableResource, AutoCloseable {

    @Override
    public void close() {
      try {
        server.stop();
      } finally {
        upstream.close();
      }
    }
  }
}
