package dev.portcullis.authentication;

import jakarta.inject.Inject;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * On Payara, replaces Soteria's bridge to the mechanism by {@link DirectMechanismModule}, which
 * resolves the mechanism once instead of twice per request; the mechanism, and everything it
 * decides, stay the same. Runs after Soteria registered its own module (container initializers run
 * before listeners). Anything unexpected (another Soteria, a registration refused) leaves Soteria's
 * module in place and says so in the log: slower, never weaker.
 *
 * <p>WildFly's answer: Elytron calls the mechanism through its own integration, which has no such
 * per-request look-up, and has no Soteria; there this does nothing.
 */
@WebListener
public class MechanismBridgeInstaller implements ServletContextListener {

  private static final Logger LOG = Logger.getLogger(MechanismBridgeInstaller.class.getName());

  static final String SOTERIA_BRIDGE =
      "org.glassfish.soteria.mechanisms.jaspic.HttpBridgeServerAuthModule";

  @Inject HttpAuthenticationMechanism mechanism;

  @Override
  public void contextInitialized(ServletContextEvent event) {
    var context = event.getServletContext();
    if (!soteriaPresent(context.getClassLoader())) {
      return;
    }
    try {
      if (DirectMechanismModule.install(context, mechanism)) {
        LOG.info("Jakarta Security: the mechanism is called directly, resolved once (Soteria)");
      } else {
        LOG.warning("Jakarta Security: Soteria registered no module here; nothing replaced");
      }
    } catch (LinkageError | RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "Jakarta Security: Soteria's own bridge stays in place ({0})",
          e.toString());
    }
  }

  private static boolean soteriaPresent(ClassLoader loader) {
    try {
      Class.forName(SOTERIA_BRIDGE, false, loader);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
