package dev.portcullis.authentication;

import dev.portcullis.problem.ProblemException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import java.util.UUID;

/**
 * The authenticated caller of the current request, as the mechanism established it.
 *
 * @param userId the stable user id ({@code sub})
 * @param username the username ({@code upn})
 * @param groups the caller's effective groups (roles, or an API key's scopes)
 * @param method how the caller authenticated
 * @param sessionId the refresh-token family or browser session the credential belongs to, if any
 * @param credentialId the token id ({@code jti}) or key id that was presented
 */
public record Caller(
    UUID userId,
    String username,
    Set<String> groups,
    AuthMethod method,
    String sessionId,
    String credentialId) {

  /** The request attribute under which the mechanism stores the caller. */
  public static final String ATTRIBUTE = Caller.class.getName();

  /** The caller of {@code request}; 401 if the request is not authenticated. */
  public static Caller of(HttpServletRequest request) {
    if (request.getAttribute(ATTRIBUTE) instanceof Caller caller) {
      return caller;
    }
    throw new ProblemException(401, "UNAUTHORIZED", "Authentication required");
  }
}
