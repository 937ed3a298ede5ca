package dev.portcullis.user;

import java.util.Set;
import java.util.UUID;

/**
 * What authentication needs to know about a user right now, cached by {@link UserSnapshots}.
 *
 * @param id the stable user id
 * @param username the display username
 * @param email the e-mail address, may be null
 * @param status active or disabled
 * @param roles the roles the user holds now
 */
public record UserSnapshot(
    UUID id, String username, String email, UserStatus status, Set<String> roles) {

  public boolean isActive() {
    return status == UserStatus.ACTIVE;
  }
}
