package dev.portcullis.user;

/**
 * The kind of a stored password hash, told from its prefix: the native Argon2id PHC string, or a
 * legacy hash imported from a Jakarta EE realm and upgraded to Argon2id at the next login.
 */
public enum PasswordHashScheme {
  ARGON2ID("argon2id"),
  /** Soteria's {@code Pbkdf2PasswordHash}: {@code PBKDF2WithHmacSHA256:2048:<salt>:<hash>}. */
  PBKDF2("pbkdf2"),
  /** OpenBSD bcrypt: {@code $2a$}, {@code $2b$}, {@code $2y$}. */
  BCRYPT("bcrypt"),
  /** No password, or a hash no scheme here recognises (never verifies). */
  NONE("none");

  private final String label;

  PasswordHashScheme(String label) {
    this.label = label;
  }

  /** The lower-case name the admin API shows. */
  public String label() {
    return label;
  }

  /** The scheme of {@code hash}, by prefix only; {@link LegacyPasswordHashes} checks the rest. */
  public static PasswordHashScheme of(String hash) {
    if (hash == null) {
      return NONE;
    }
    if (hash.startsWith("$argon2id$")) {
      return ARGON2ID;
    }
    if (hash.startsWith("PBKDF2WithHmacSHA")) {
      return PBKDF2;
    }
    if (hash.startsWith("$2a$") || hash.startsWith("$2b$") || hash.startsWith("$2y$")) {
      return BCRYPT;
    }
    return NONE;
  }
}
