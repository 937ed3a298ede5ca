package dev.portcullis.caller;

import dev.portcullis.problem.ErrorCode;
import dev.portcullis.problem.ProblemException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The authenticated caller of the current request, as the mechanism established it, and the rules
 * that keep its authority its own (SECURITY "Authority along every path").
 *
 * <p>A credential's authority never exceeds the credential: {@link #groups()} are what this
 * credential carries (a key's scopes, a token's groups, a session user's roles), already narrowed
 * by the identity store to the owner's current roles. The rules every action checks on its own,
 * whatever filter stands in front of it:
 *
 * <ul>
 *   <li>pages serve browser-session callers only ({@link #browserSession}); any other credential
 *       gets what an anonymous visitor gets;
 *   <li>an API key, whatever its scopes, never creates, rotates or revokes credentials (API keys,
 *       passwords, signing keys) for anyone, itself included, and never lists or ends sessions
 *       ({@link #requireCredentialManager()});
 *   <li>scopes offered or granted are the caller's own authority intersected with the roles of the
 *       credential's owner ({@link #authorityOver}).
 * </ul>
 *
 * <p>Usage in a resource: {@code var caller = Caller.of(request).requireCredentialManager();}
 * Immutable and thread-safe.
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
    throw new ProblemException(ErrorCode.UNAUTHORIZED, "Authentication required");
  }

  /**
   * The caller of {@code request} if it authenticated with the browser-session cookie; empty for an
   * anonymous request and for every other credential. Pages and their postbacks use nothing else,
   * so a bearer token or an API key reaches a page exactly as an anonymous visitor does.
   */
  public static Optional<Caller> browserSession(HttpServletRequest request) {
    return request.getAttribute(ATTRIBUTE) instanceof Caller caller && caller.isBrowserSession()
        ? Optional.of(caller)
        : Optional.empty();
  }

  /** Whether this caller presented the browser-session cookie. */
  public boolean isBrowserSession() {
    return method == AuthMethod.SESSION;
  }

  /**
   * Whether this caller may create, rotate or revoke credentials (API keys, passwords, signing
   * keys) and list or end sessions: every credential but an API key, whose scopes never extend to
   * minting or managing credentials, not even its own.
   */
  public boolean mayManageCredentials() {
    return method != AuthMethod.API_KEY;
  }

  /**
   * This caller, if it {@linkplain #mayManageCredentials() may manage credentials}; otherwise 403
   * {@code FORBIDDEN}.
   */
  public Caller requireCredentialManager() {
    if (!mayManageCredentials()) {
      throw new ProblemException(
          ErrorCode.FORBIDDEN,
          "An API key cannot manage credentials or sessions; use a token or a browser session");
    }
    return this;
  }

  /**
   * The scopes this caller may offer or grant on a credential owned by someone holding {@code
   * ownerRoles}: this caller's own authority intersected with those roles, so no credential made
   * through this caller ever carries more than either of them.
   */
  public Set<String> authorityOver(Set<String> ownerRoles) {
    var granted = new TreeSet<>(groups);
    granted.retainAll(ownerRoles);
    return Collections.unmodifiableSortedSet(granted);
  }
}
