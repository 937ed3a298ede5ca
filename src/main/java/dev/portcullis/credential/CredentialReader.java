package dev.portcullis.credential;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * Finds one kind of credential in a request: bearer JWT, API key or session cookie. The mechanism
 * walks every reader in {@link #order()} and uses the single credential present; a new kind of
 * credential is a new reader, with no change to the mechanism.
 *
 * <p>A reader only extracts; it validates nothing and touches no database.
 */
public interface CredentialReader {

  /** Position in the chain; lower reads first (SPEC 3.2: bearer 100, API key 200, cookie 300). */
  int order();

  /**
   * The credential this reader understands, if the request carries one.
   *
   * @throws AmbiguousCredentialException if the request carries this kind of credential more than
   *     once
   */
  Optional<PresentedCredential> read(HttpServletRequest request);
}
