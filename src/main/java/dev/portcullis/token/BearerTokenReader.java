package dev.portcullis.token;

import dev.portcullis.credential.AmbiguousCredentialException;
import dev.portcullis.credential.CredentialReader;
import dev.portcullis.credential.PresentedCredential;
import dev.portcullis.web.ClientInfo;
import dev.portcullis.web.RequestPaths;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Reads {@code Authorization: Bearer <token>} (RFC 6750 2.1; the scheme is case-insensitive per RFC
 * 9110 11.1). Two {@code Authorization} headers make the request ambiguous. Not under {@code
 * /oauth2/}: userinfo verifies the tokens issued to OAuth clients itself (their audience is the
 * client, which the mechanism, guarding Portcullis' own API, refuses).
 */
@ApplicationScoped
public class BearerTokenReader implements CredentialReader {

  private static final String SCHEME = "bearer ";
  private static final String OAUTH_ENDPOINTS = "/oauth2/";

  @Override
  public int order() {
    return 100;
  }

  @Override
  public Optional<PresentedCredential> read(HttpServletRequest request) {
    if (RequestPaths.of(request).startsWith(OAUTH_ENDPOINTS)) {
      // the OAuth endpoints take client credentials and client tokens, checked there
      return Optional.empty();
    }
    List<String> headers = Collections.list(request.getHeaders("Authorization"));
    if (headers.size() > 1) {
      throw new AmbiguousCredentialException();
    }
    if (headers.isEmpty()) {
      return Optional.empty();
    }
    String header = headers.get(0);
    if (header.length() < SCHEME.length()
        || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return Optional.empty();
    }
    return Optional.of(
        new BearerTokenCredential(
            header.substring(SCHEME.length()).strip(), () -> ClientInfo.of(request)));
  }
}
