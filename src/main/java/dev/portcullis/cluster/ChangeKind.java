package dev.portcullis.cluster;

/** What a {@link ChangeFeed} row names; its key's meaning depends on the kind. */
public enum ChangeKind {
  /** A user (key: the user id): status, roles or password changed. */
  USER,
  /** An API key (key: the key id): created, rotated or revoked. */
  API_KEY,
  /** A browser session (key: the SHA-256 of its cookie value): ended. */
  SESSION,
  /** A refresh-token family (key: its id, the access tokens' {@code sid}): revoked. */
  REVOKED_SID,
  /** A token-signing key (key: its kid): created (scheduled or "rotate now") or revoked. */
  SIGNING_KEY,
  /** An OAuth client (key: its client id): registered, changed, its secret rotated, or deleted. */
  OAUTH_CLIENT
}
