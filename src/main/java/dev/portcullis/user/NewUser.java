package dev.portcullis.user;

import java.util.Set;

/**
 * What an administrator supplies to create a user.
 *
 * @param username the username as typed
 * @param email optional e-mail address
 * @param password the initial password
 * @param roles the roles to grant (defaults to {@code user})
 * @param passwordChangeRequired whether the user must choose a new password at first login
 */
public record NewUser(
    String username,
    String email,
    String password,
    Set<String> roles,
    boolean passwordChangeRequired) {}
