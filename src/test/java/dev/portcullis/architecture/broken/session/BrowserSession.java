package dev.portcullis.architecture.broken.session;

import dev.portcullis.architecture.broken.token.TokenIssuer;

/** Breaks the rules on purpose: a session that issues tokens itself (a cycle with the token). */
public class BrowserSession {

  public String id() {
    return "s";
  }

  public String token() {
    return new TokenIssuer().issue(this);
  }
}
