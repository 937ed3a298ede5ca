package dev.portcullis.testing;

import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import java.lang.reflect.Proxy;
import java.util.Optional;

/**
 * The {@link HttpMessageContext} a container hands an authentication mechanism, for unit tests: it
 * records {@code doNothing()} (answering {@code NOT_DONE}) and {@code
 * notifyContainerAboutLogin(CredentialValidationResult)} (answering {@code SUCCESS}, as the
 * container does for a valid result). Any other method throws {@link
 * UnsupportedOperationException}. Not thread-safe.
 */
public final class MessageContextStandIn {

  private boolean didNothing;
  private CredentialValidationResult notified;
  private final HttpMessageContext context;

  public MessageContextStandIn() {
    context =
        (HttpMessageContext)
            Proxy.newProxyInstance(
                HttpMessageContext.class.getClassLoader(),
                new Class<?>[] {HttpMessageContext.class},
                (self, method, args) -> {
                  if (method.getName().equals("doNothing")) {
                    didNothing = true;
                    return AuthenticationStatus.NOT_DONE;
                  }
                  if (method.getName().equals("notifyContainerAboutLogin")
                      && args.length == 1
                      && args[0] instanceof CredentialValidationResult result) {
                    notified = result;
                    return AuthenticationStatus.SUCCESS;
                  }
                  throw new UnsupportedOperationException(method.getName());
                });
  }

  /** The context to hand to the mechanism. */
  public HttpMessageContext context() {
    return context;
  }

  /** Whether the mechanism called {@code doNothing()}. */
  public boolean didNothing() {
    return didNothing;
  }

  /** The result the mechanism logged the caller in with, if it did. */
  public Optional<CredentialValidationResult> notifiedLogin() {
    return Optional.ofNullable(notified);
  }
}
