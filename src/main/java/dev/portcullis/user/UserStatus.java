package dev.portcullis.user;

/** Whether a user may authenticate. */
public enum UserStatus {
  ACTIVE,
  DISABLED
}
