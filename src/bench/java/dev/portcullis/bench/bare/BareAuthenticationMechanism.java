package dev.portcullis.bench.bare;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * An authentication mechanism that authenticates nobody, only in the second bare WAR ({@code
 * bare-mechanism.war}): what the container charges every request of an application that has a
 * Jakarta Security mechanism at all (on Payara the JASPIC bridge, on WildFly Elytron's), before the
 * mechanism does any work of its own.
 */
@ApplicationScoped
public class BareAuthenticationMechanism implements HttpAuthenticationMechanism {

  @Override
  public AuthenticationStatus validateRequest(
      HttpServletRequest request, HttpServletResponse response, HttpMessageContext context) {
    return context.doNothing();
  }
}
