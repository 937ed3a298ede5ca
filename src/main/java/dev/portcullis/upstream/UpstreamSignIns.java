package dev.portcullis.upstream;

import dev.portcullis.session.SessionRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;

/**
 * Sign-in and linking through upstream providers (SPEC 3.7). CONTRACT STUB: being implemented.
 *
 * <p>Paths: {@code GET /login/oauth2/start/<id>[?next=<local path>]} starts a sign-in (303 to the
 * provider); {@code GET /login/oauth2/callback/<id>} is the redirect URI registered upstream
 * ({@code <PORTCULLIS_ISSUER>/login/oauth2/callback/<id>}).
 *
 * <p>Outcomes the pages show:
 *
 * <ul>
 *   <li>sign-in success: 303 to {@code next} (a local target) or {@code /account}, with a new
 *       {@code __Host-portcullis} session cookie;
 *   <li>sign-in failure: 303 to {@code /login?upstream=<id>&error=<reason>} (plus {@code &next=}
 *       when one was given), reason {@code unavailable} (the provider did not answer in time or
 *       answered with a server error) or {@code failed} (everything else: refused, not linked,
 *       provisioning off, wrong state...);
 *   <li>link success: 303 to {@code /account?linked=<id>};
 *   <li>link failure: 303 to {@code /account?upstream=<id>&error=<reason>}, reason {@code taken}
 *       (that upstream account is linked to another local account), {@code unavailable} or {@code
 *       failed}.
 * </ul>
 */
@ApplicationScoped
public class UpstreamSignIns {

  /** The path prefix of the start endpoint. */
  public static final String START_PATH = "/login/oauth2/start/";

  /** The path prefix of the callback endpoint. */
  public static final String CALLBACK_PATH = "/login/oauth2/callback/";

  /**
   * Begins linking {@code provider} to the signed-in user of {@code session} (the account page's
   * "Link" button, a Faces postback, hence same-origin and CSRF-checked): stores the attempt, sets
   * the browser-binding cookie on {@code response} and returns where to send the browser (the
   * provider's authorization endpoint), or, when the provider cannot be reached, {@code
   * /account?upstream=<id>&error=unavailable} (relative to the context root).
   */
  public URI beginLink(
      UpstreamProvider provider,
      SessionRecord session,
      HttpServletRequest request,
      HttpServletResponse response) {
    throw new UnsupportedOperationException("contract stub");
  }
}
