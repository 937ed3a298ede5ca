package dev.portcullis.authentication;

import jakarta.security.auth.message.AuthException;
import jakarta.security.auth.message.AuthStatus;
import jakarta.security.auth.message.MessageInfo;
import jakarta.security.auth.message.MessagePolicy;
import jakarta.security.auth.message.config.AuthConfigFactory;
import jakarta.security.auth.message.module.ServerAuthModule;
import jakarta.security.enterprise.AuthenticationException;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import javax.security.auth.Subject;
import javax.security.auth.callback.CallbackHandler;
import org.glassfish.soteria.mechanisms.HttpMessageContextImpl;
import org.glassfish.soteria.mechanisms.jaspic.Jaspic;

/**
 * Soteria's bridge from Jakarta Authentication to the {@link HttpAuthenticationMechanism}, with the
 * mechanism resolved once instead of per call ({@link MechanismBridgeInstaller} installs it where
 * Soteria is the server's Jakarta Security: Payara and WildFly; nothing else may load this class).
 *
 * <p>Soteria's own module ({@code HttpBridgeServerAuthModule}) looks the mechanism up on each of
 * its calls, twice per request ({@code validateRequest} and {@code secureResponse}), through {@code
 * CdiUtils.getBeanManager()}: a new JNDI {@code InitialContext}, a {@code java:comp/BeanManager}
 * look-up and a {@code NamingException} with its stack trace built in advance on every call
 * (eclipse-ee4j/soteria#341), then a bean resolution. That was a fifth of the CPU of a request to
 * Portcullis on Payara (issue 18); WildFly runs the same Soteria code. This module does what
 * Soteria's does, call for call, through Soteria's own message context and status helpers, but with
 * the mechanism (an application-scoped client proxy, so the same bean on every call) given to it
 * when the application starts.
 */
final class DirectMechanismModule implements ServerAuthModule {

  private static final Class<?>[] MESSAGE_TYPES = {
    HttpServletRequest.class, HttpServletResponse.class
  };

  private final HttpAuthenticationMechanism mechanism;
  private CallbackHandler handler;

  private DirectMechanismModule(HttpAuthenticationMechanism mechanism) {
    this.mechanism = mechanism;
  }

  /**
   * Registers the module for {@code context} in place of Soteria's, if Soteria registered one for
   * it (it does when the application has a mechanism).
   *
   * @return whether it was registered
   */
  static boolean install(ServletContext context, HttpAuthenticationMechanism mechanism) {
    var factory = AuthConfigFactory.getFactory();
    if (factory == null
        || factory.getConfigProvider("HttpServlet", Jaspic.getAppContextID(context), null)
            == null) {
      return false;
    }
    factory.registerServerAuthModule(of(mechanism), context);
    return true;
  }

  /** A module that calls {@code mechanism}, not yet registered anywhere. */
  static DirectMechanismModule of(HttpAuthenticationMechanism mechanism) {
    return new DirectMechanismModule(mechanism);
  }

  @Override
  public void initialize(
      MessagePolicy requestPolicy,
      MessagePolicy responsePolicy,
      CallbackHandler handler,
      @SuppressWarnings("rawtypes") Map options) {
    this.handler = handler;
  }

  @Override
  public Class<?>[] getSupportedMessageTypes() {
    return MESSAGE_TYPES.clone();
  }

  @Override
  public AuthStatus validateRequest(
      MessageInfo messageInfo, Subject clientSubject, Subject serviceSubject) throws AuthException {
    var context = new HttpMessageContextImpl(handler, messageInfo, clientSubject);
    var request = context.getRequest();
    Jaspic.setLastAuthenticationStatus(request, AuthenticationStatus.NOT_DONE);
    AuthenticationStatus status;
    try {
      status = mechanism.validateRequest(request, context.getResponse(), context);
    } catch (AuthenticationException e) {
      Jaspic.setLastAuthenticationStatus(request, AuthenticationStatus.SEND_FAILURE);
      throw failure("Authentication failure in HttpAuthenticationMechanism", e);
    }
    Jaspic.setLastAuthenticationStatus(request, status);
    return Jaspic.fromAuthenticationStatus(status);
  }

  @Override
  public AuthStatus secureResponse(MessageInfo messageInfo, Subject serviceSubject)
      throws AuthException {
    var context = new HttpMessageContextImpl(handler, messageInfo, null);
    try {
      var status =
          Jaspic.fromAuthenticationStatus(
              mechanism.secureResponse(context.getRequest(), context.getResponse(), context));
      return status == AuthStatus.SUCCESS ? AuthStatus.SEND_SUCCESS : status;
    } catch (AuthenticationException e) {
      throw failure("Secure response failure in HttpAuthenticationMechanism", e);
    }
  }

  @Override
  public void cleanSubject(MessageInfo messageInfo, Subject subject) {
    var context = new HttpMessageContextImpl(handler, messageInfo, subject);
    mechanism.cleanSubject(context.getRequest(), context.getResponse(), context);
  }

  private static AuthException failure(String message, AuthenticationException cause) {
    var failure = new AuthException(message);
    failure.initCause(cause);
    return failure;
  }
}
