package dev.portcullis.delegation;

import dev.portcullis.delegation.app.elytron.ElytronProtectedServlet;
import dev.portcullis.delegation.app.introspection.ProtectedResourceServlet;
import dev.portcullis.delegation.app.mpjwt.OrdersApi;
import dev.portcullis.delegation.app.oidc.OidcLogin;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The test-only applications that delegate their login to Portcullis, built with ShrinkWrap from
 * the classes of one package under {@code dev.portcullis.delegation.app} and the {@code
 * microprofile-config.properties} beside them (in {@code it-tests/resources}), and exported as
 * {@code <dir>/<context>.war}. Every WAR also gets a static {@code ping.txt}, which {@link
 * AppServer} polls to know it is deployed. Stateless.
 */
public final class TestApps {

  /** A readiness probe that no application code serves. */
  static final String PING = "ping.txt";

  private TestApps() {}

  /** {@code /oidc}: Jakarta Security 3's OpenID Connect mechanism (Soteria). */
  public static Path oidc(Path dir) {
    return export(war("oidc", OidcLogin.class.getPackage()), dir);
  }

  /** {@code /mpjwt}: a MicroProfile JWT API. */
  public static Path mpJwt(Path dir) {
    return export(war("mpjwt", OrdersApi.class.getPackage()), dir);
  }

  /** {@code /rs}: a resource server that introspects bearer tokens. */
  public static Path introspection(Path dir) {
    return export(war("rs", ProtectedResourceServlet.class.getPackage()), dir);
  }

  /**
   * {@code /elytron}: WildFly's built-in OpenID Connect client ({@code elytron-oidc-client}): its
   * {@code web.xml} and the {@code oidc.json} beside the classes, with {@code provider-url}, {@code
   * client-id} and the secret replaced by the given ones.
   */
  public static Path elytronOidc(Path dir, String providerUrl, String clientId, String secret) {
    String resources = ElytronProtectedServlet.class.getPackageName().replace('.', '/');
    JsonObject template;
    try (var in = TestApps.class.getClassLoader().getResourceAsStream(resources + "/oidc.json");
        var reader = Json.createReader(in)) {
      template = reader.readObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String oidc =
        Json.createObjectBuilder(template)
            .add("provider-url", providerUrl)
            .add("client-id", clientId)
            .add("credentials", Json.createObjectBuilder().add("secret", secret))
            .build()
            .toString();
    var war =
        war("elytron", ElytronProtectedServlet.class.getPackage())
            .addAsWebInfResource(resources + "/web.xml", "web.xml")
            .addAsWebInfResource(new StringAsset(oidc), "oidc.json");
    return export(war, dir);
  }

  /**
   * The WAR {@code <context>.war} holding the classes of {@code app} (not its subpackages), its
   * {@code microprofile-config.properties} as {@code META-INF/microprofile-config.properties}, and
   * {@code ping.txt}.
   */
  static WebArchive war(String context, Package app) {
    String resources = app.getName().replace('.', '/');
    var war =
        ShrinkWrap.create(WebArchive.class, context + ".war")
            .addPackage(app)
            .add(new StringAsset("ok\n"), PING);
    String config = resources + "/microprofile-config.properties";
    if (TestApps.class.getClassLoader().getResource(config) != null) {
      war.addAsResource(config, "META-INF/microprofile-config.properties");
    }
    return war;
  }

  /** Writes {@code war} to {@code dir/<its name>}, replacing an older one. */
  static Path export(WebArchive war, Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path file = dir.resolve(war.getName());
    war.as(ZipExporter.class).exportTo(file.toFile(), true);
    return file;
  }
}
