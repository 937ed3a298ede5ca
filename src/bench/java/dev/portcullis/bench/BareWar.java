package dev.portcullis.bench;

import dev.portcullis.bench.bare.BareAuthenticationMechanism;
import dev.portcullis.bench.bare.BareHealthApplication;
import dev.portcullis.bench.bare.BareHealthResource;
import dev.portcullis.bench.bare.BareLiveServlet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;

/**
 * Builds the bare server's WARs from the classes of {@code dev.portcullis.bench.bare}: one servlet,
 * one JAX-RS application with its resource, and nothing else (no library; only WildFly's {@code
 * jboss-web.xml}, which serves it at the context root as Portcullis'). The second WAR adds an
 * authentication mechanism that does nothing ({@link BareAuthenticationMechanism}): what an
 * application pays the container for having a Jakarta Security mechanism at all.
 */
final class BareWar {

  private static final List<Class<?>> CLASSES =
      List.of(BareLiveServlet.class, BareHealthApplication.class, BareHealthResource.class);

  private static final String JBOSS_WEB =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          + "<jboss-web xmlns=\"urn:jboss:jakartaee:1.0\" version=\"15.0\">\n"
          + "  <context-root>/</context-root>\n"
          + "</jboss-web>\n";

  private BareWar() {}

  /**
   * Writes a bare WAR to {@code war} and returns it.
   *
   * @param withMechanism whether it has the authentication mechanism that does nothing
   */
  static Path build(Path war, boolean withMechanism) {
    try {
      Files.createDirectories(war.getParent());
      try (var out = new JarOutputStream(Files.newOutputStream(war))) {
        out.putNextEntry(new ZipEntry("WEB-INF/jboss-web.xml"));
        out.write(JBOSS_WEB.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
        var classes = new ArrayList<Class<?>>(CLASSES);
        if (withMechanism) {
          classes.add(BareAuthenticationMechanism.class);
        }
        for (var type : classes) {
          String name = type.getName().replace('.', '/') + ".class";
          out.putNextEntry(new ZipEntry("WEB-INF/classes/" + name));
          try (var in = type.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
              throw new IllegalStateException("no class file for " + type);
            }
            in.transferTo(out);
          }
          out.closeEntry();
        }
      }
      return war;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + war, e);
    }
  }
}
