package dev.portcullis.architecture.broken.token;

import dev.portcullis.architecture.broken.login.LoginPage;
import dev.portcullis.architecture.broken.session.BrowserSession;

/** Breaks the rules on purpose: a token that knows a page and another credential kind. */
public class TokenIssuer {

  public String issue(BrowserSession session) {
    return session.id() + new LoginPage().title();
  }
}
