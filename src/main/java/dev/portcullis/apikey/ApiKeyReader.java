package dev.portcullis.apikey;

import dev.portcullis.credential.AmbiguousCredentialException;
import dev.portcullis.credential.CredentialReader;
import dev.portcullis.credential.PresentedCredential;
import dev.portcullis.web.ClientAddresses;
import dev.portcullis.web.ClientInfo;
import dev.portcullis.web.RequestPaths;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Reads an API key from {@code X-API-Key: <key>} or {@code Authorization: ApiKey <key>} (second in
 * the chain, SPEC 3.2). A key in both places, or a header repeated, makes the request ambiguous.
 *
 * <p>The audience the key is checked against is Portcullis itself, except on the forward-auth
 * endpoint ({@value RequestPaths#FORWARD_AUTH}) when the direct peer is a trusted proxy ({@code
 * portcullis.trusted-proxies}): only there is {@code X-Audience} read, because only there did a hop
 * the server trusts set it. Anywhere else the header is ignored, so a client cannot name the
 * audience its own key is checked against (SECURITY "Authority along every path").
 */
@ApplicationScoped
public class ApiKeyReader implements CredentialReader {

  static final String HEADER = "X-API-Key";
  static final String AUDIENCE_HEADER = "X-Audience";
  private static final String SCHEME = "apikey ";

  @Override
  public int order() {
    return 200;
  }

  @Override
  public Optional<PresentedCredential> read(HttpServletRequest request) {
    List<String> keys = new ArrayList<>(Collections.list(request.getHeaders(HEADER)));
    for (String authorization : Collections.list(request.getHeaders("Authorization"))) {
      if (authorization.length() > SCHEME.length()
          && authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
        keys.add(authorization.substring(SCHEME.length()));
      }
    }
    List<String> audiences =
        forwardAuthByTrustedProxy(
                RequestPaths.of(request),
                ClientAddresses.trustedProxies().contains(request.getRemoteAddr()))
            ? Collections.list(request.getHeaders(AUDIENCE_HEADER))
            : List.of();
    if (keys.size() > 1 || audiences.size() > 1) {
      throw new AmbiguousCredentialException();
    }
    if (keys.isEmpty()) {
      return Optional.empty();
    }
    String audience = audiences.isEmpty() ? null : audiences.get(0).strip();
    return Optional.of(
        new ApiKeyCredential(
            keys.get(0).strip(),
            audience,
            ClientAddresses.of(request),
            () -> ClientInfo.of(request)));
  }

  /**
   * Whether a request may name the audience of its key in {@code X-Audience}: only a request for
   * the forward-auth endpoint ({@code path} normalised) whose direct peer is a trusted proxy.
   */
  static boolean forwardAuthByTrustedProxy(String path, boolean peerIsTrustedProxy) {
    return peerIsTrustedProxy && path.equals(RequestPaths.FORWARD_AUTH);
  }
}
