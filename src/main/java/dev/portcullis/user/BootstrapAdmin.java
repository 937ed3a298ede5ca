package dev.portcullis.user;

import dev.portcullis.audit.AuditEventType;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.config.Settings;
import dev.portcullis.web.ClientInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Creates the first administrator on an empty database.
 *
 * <p>With {@code PORTCULLIS_BOOTSTRAP_ADMIN_USERNAME} / {@code _PASSWORD} set, that account is
 * created. Without a password, a random one-time password (128 bits) is generated and printed once
 * to the log; the account must choose a new password at its first login, so the logged value is
 * useless afterwards. Nothing happens once any user exists.
 */
@ApplicationScoped
public class BootstrapAdmin {

  private static final Logger LOG = Logger.getLogger(BootstrapAdmin.class.getName());

  @Inject Settings settings;
  @Inject UserService users;
  @Inject AuditLog audit;
  @Inject PasswordHashing hashing;

  @Transactional
  public void ensure() {
    if (users.count() > 0) {
      return;
    }
    var given = settings.bootstrapAdminPassword();
    String password = given.orElseGet(BootstrapAdmin::oneTimePassword);
    var admin =
        users.create(
            new NewUser(
                settings.bootstrapAdminUsername(),
                null,
                password,
                Set.of("admin", "user"),
                given.isEmpty()),
            "system",
            ClientInfo.SYSTEM);
    audit.record(
        AuditRecord.success(
                AuditEventType.BOOTSTRAP_ADMIN_CREATED, admin.id().toString(), ClientInfo.SYSTEM)
            .by("system"));
    if (given.isEmpty()) {
      // The one deliberate exception to "no password in a log": shown once, must be changed.
      LOG.warning(
          "Created bootstrap administrator '"
              + admin.username()
              + "' with one-time password "
              + password
              + " - it must be changed at first login (POST /api/v1/auth/password)");
    } else {
      LOG.info("Created bootstrap administrator '" + admin.username() + "'");
    }
  }

  /** Whether the configured bootstrap password still logs the bootstrap administrator in. */
  public boolean configuredPasswordStillValid() {
    var given = settings.bootstrapAdminPassword();
    if (given.isEmpty()) {
      return false;
    }
    return users
        .findByLogin(settings.bootstrapAdminUsername())
        .map(admin -> hashing.verify(given.get(), admin.passwordHash()))
        .orElse(false);
  }

  private static String oneTimePassword() {
    var bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
