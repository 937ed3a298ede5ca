package dev.portcullis.user;

import java.util.UUID;

/**
 * CDI event fired inside the transaction that changes a user. Observers revoke what the change
 * invalidates (in the transaction) and drop cached views of the user (after it commits).
 *
 * @param userId the user
 * @param change what changed
 */
public record UserChanged(UUID userId, Change change) {

  /** What changed about the user. */
  public enum Change {
    CREATED,
    DISABLED,
    ENABLED,
    ROLES,
    PASSWORD
  }

  /** Whether every token and session the user holds must stop working. */
  public boolean endsSessions() {
    return change == Change.DISABLED || change == Change.PASSWORD;
  }
}
