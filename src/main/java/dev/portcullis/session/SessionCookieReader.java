package dev.portcullis.session;

import dev.portcullis.credential.CredentialReader;
import dev.portcullis.credential.PresentedCredential;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/** Reads the {@code __Host-portcullis} session cookie (third in the chain, SPEC 3.2). */
@ApplicationScoped
public class SessionCookieReader implements CredentialReader {

  @Override
  public int order() {
    return 300;
  }

  @Override
  public Optional<PresentedCredential> read(HttpServletRequest request) {
    return SessionCookies.read(request).map(SessionCredential::new);
  }
}
