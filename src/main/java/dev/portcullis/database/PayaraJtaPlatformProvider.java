package dev.portcullis.database;

import org.hibernate.engine.transaction.jta.platform.internal.SunOneJtaPlatform;
import org.hibernate.engine.transaction.jta.platform.spi.JtaPlatform;
import org.hibernate.engine.transaction.jta.platform.spi.JtaPlatformProvider;

/**
 * Tells Hibernate how to reach Payara's transaction manager.
 *
 * <p>Without it Hibernate logs HHH000489 "No JTA platform available" and fails. Hibernate consults
 * this provider only when {@code hibernate.transaction.jta.platform} is unset; WildFly always sets
 * it, so the same WAR works on both servers.
 */
public class PayaraJtaPlatformProvider implements JtaPlatformProvider {

  @Override
  public JtaPlatform getProvidedJtaPlatform() {
    return new SunOneJtaPlatform();
  }
}
