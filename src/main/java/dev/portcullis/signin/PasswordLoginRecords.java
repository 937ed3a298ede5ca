package dev.portcullis.signin;

import dev.portcullis.audit.AuditEventType;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.ratelimit.Lockouts;
import dev.portcullis.user.User;
import dev.portcullis.user.UserService;
import dev.portcullis.web.ClientInfo;
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
 * <p>The second transaction first reads the user's row again under a shared lock ({@link
 * UserService#lockForLogin}) and goes on only if it is still the row the password was verified
 * against (same version, hash and status): a password change, reset or disable that committed while
 * the hash was computed wins, and the login is refused. The lock orders the login against changes
 * still to come: they wait for it, then see and revoke the session it started.
 *
 * <p>A successful login's writes (the network's failures forgotten, a fresh device value issued,
 * {@code LOGIN} audited) and the session or refresh-token family it starts commit together: there
 * is no session without its audit event, and no audited login whose session was lost. A JSON login
 * is two transactions in all (it was seven: PostgreSQL's commit count per login, measured on 2
 * cores).
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
   *     for an unknown user) that has not used up its failure budget
   * @param locked whether the account is locked for the client's network (never for a known device)
   */
  public record Attempt(Optional<User> user, boolean knownDevice, boolean locked) {}

  /**
   * Reads the account, whether {@code device} is known to it, and its lock for {@code network}; one
   * transaction.
   */
  @Transactional
  public Attempt read(String login, String device, String network) {
    Optional<User> user = login == null ? Optional.empty() : users.findByLogin(login);
    UUID id = user.map(User::id).orElse(NO_USER);
    boolean knownDevice = devices.isKnown(device, id);
    return new Attempt(user, knownDevice, !knownDevice && lockouts.isLocked(id, network));
  }

  /**
   * Records a verified login and starts what it logs in to, in one transaction, if the user's row
   * is still as {@code verified} (else nothing is written and the answer is empty): the network's
   * failures are forgotten (unless the login came from a known device, whose success leaves others'
   * failures in place), the device becomes known by {@code device.next()}, {@code LOGIN} is
   * audited, then {@code start} runs with the row as it is now.
   *
   * @return what {@code start} returned, or empty when the user changed since the verification
   */
  @Transactional
  public <T> Optional<T> succeeded(
      User verified,
      boolean knownDevice,
      String network,
      DeviceCookie device,
      ClientInfo client,
      Function<User, T> start) {
    var user =
        users.lockForLogin(verified.id()).filter(current -> current.unchangedSince(verified));
    if (user.isEmpty()) {
      return Optional.empty();
    }
    if (!knownDevice) {
      lockouts.succeeded(verified.id(), network);
    }
    devices.issue(device, verified.id());
    audit.record(AuditRecord.success(AuditEventType.LOGIN, verified.id().toString(), client));
    return Optional.of(start.apply(user.get()));
  }
}
