package dev.portcullis.user;

import dev.portcullis.problem.JsonFactory;
import jakarta.json.JsonObject;

/**
 * The JSON shape of a user in the admin API: never a password hash, only its scheme ({@code
 * argon2id}, or {@code pbkdf2} / {@code bcrypt} for an imported user who has not logged in yet).
 */
public final class UserView {

  private UserView() {}

  public static JsonObject of(User user) {
    var roles = JsonFactory.createArrayBuilder();
    user.roles().stream().sorted().forEach(roles::add);
    var json =
        JsonFactory.createObjectBuilder()
            .add("id", user.id().toString())
            .add("username", user.username())
            .add("roles", roles)
            .add("status", user.status().name().toLowerCase())
            .add("password_change_required", user.passwordChangeRequired())
            .add("password_hash_scheme", PasswordHashScheme.of(user.passwordHash()).label())
            .add("created_at", user.createdAt().toString())
            .add("updated_at", user.updatedAt().toString());
    if (user.email() == null) {
      json.addNull("email");
    } else {
      json.add("email", user.email());
    }
    return json.build();
  }
}
