package dev.portcullis.caller;

import jakarta.security.enterprise.CallerPrincipal;

/**
 * The caller principal identity stores return: the username as principal name, carrying the full
 * {@link Caller} for the mechanism to publish on the request.
 */
public class PortcullisPrincipal extends CallerPrincipal {

  private static final long serialVersionUID = 1L;

  private final transient Caller caller;

  public PortcullisPrincipal(Caller caller) {
    super(caller.username());
    this.caller = caller;
  }

  public Caller caller() {
    return caller;
  }
}
