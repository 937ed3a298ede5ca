package dev.portcullis.user;

import dev.portcullis.audit.AuditEventType;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.audit.ClientInfo;
import dev.portcullis.ratelimit.KnownDevices;
import dev.portcullis.ratelimit.Lockouts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * What a password login reads before its hash and writes after it, one transaction each ({@link
 * PasswordLogins} hashes between the two, outside any transaction).
 *
 * <p>A successful login's writes (failures forgotten, device remembered, {@code LOGIN} audited) and
 * the session or refresh-token family it starts commit together: there is no session without its
 * audit event, and no audited login whose session was lost. A JSON login is two transactions in all
 * (it was seven: PostgreSQL's commit count per login, measured on 2 cores).
 */
@ApplicationScoped
public class PasswordLoginRecords {

  /** Stands in for an unknown user, so every attempt makes the same look-ups. */
  private static final UUID NO_USER = new UUID(0, 0);

  @Inject UserService users;
  @Inject Lockouts lockouts;
  @Inject KnownDevices devices;
  @Inject AuditLog audit;

  /**
   * What the database says about a login attempt before its hash.
   *
   * @param user the account {@code login} names, if any
   * @param knownDevice whether the attempt comes from a device known to that account (or to nobody,
   *     for an unknown user)
   * @param locked whether the account is locked (never for a known device)
   */
  public record Attempt(Optional<User> user, boolean knownDevice, boolean locked) {}

  /** Reads the account, whether {@code device} is known to it, and its lock; one transaction. */
  @Transactional
  public Attempt read(String login, String device) {
    Optional<User> user = login == null ? Optional.empty() : users.findByLogin(login);
    UUID id = user.map(User::id).orElse(NO_USER);
    boolean knownDevice = devices.isKnown(device, id);
    return new Attempt(user, knownDevice, !knownDevice && lockouts.isLocked(id));
  }

  /**
   * Records a verified login and starts what it logs in to, in one transaction: the account's
   * failures are forgotten (unless it came from a known device, whose success leaves others'
   * failures in place), {@code device} (when given) becomes known, {@code LOGIN} is audited, then
   * {@code start} runs.
   */
  @Transactional
  public <T> T succeeded(
      User user, boolean knownDevice, String device, ClientInfo client, Function<User, T> start) {
    if (!knownDevice) {
      lockouts.succeeded(user.id());
    }
    if (device != null) {
      devices.remember(device, user.id());
    }
    audit.record(AuditRecord.success(AuditEventType.LOGIN, user.id().toString(), client));
    return start.apply(user);
  }
}
