package dev.portcullis.signin;

import dev.portcullis.ratelimit.RateLimitSettings;
import dev.portcullis.secret.OpaqueTokens;
import dev.portcullis.user.UserChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Devices that have logged in to an account before, so someone else's failures do not lock their
 * owner out (SECURITY.md, "Rate limits and lock-out") — within a small failure budget of their own.
 *
 * <p>A device is known by the {@code __Host-portcullis-device} cookie, and only by a value issued
 * here: every successful password login (JSON or form) issues a fresh 256-bit random value ({@link
 * DeviceCookie#next()}), stored as its SHA-256 with the account it logged in to. The value the
 * client presented is only looked up, never stored, so a value the client chose never becomes
 * known; and it is retired by the success: its row for this account is replaced, and its rows for
 * other accounts (a shared browser keeps one cookie) move to the new value, so the old value stops
 * working everywhere at once. A device unused for {@code portcullis.rate-limit.known-device-ttl} is
 * no longer known, and every device of a user is forgotten when the user's password is changed or
 * reset or the user is disabled ({@link UserChanged}, in that transaction).
 *
 * <p>A request presenting a known device skips the account's rate limit and lock (the per-IP limit
 * still applies), but each wrong password it sends counts against the device: after {@code
 * portcullis.rate-limit.known-device.failures} of them (default 5) within the lock-out's {@code
 * reset-after}, the device is no longer known and the ordinary limits apply, so a stolen cookie
 * cannot be used to guess without limit. A success forgets the device's failures. The client
 * address is deliberately not used as a device: users behind one NAT or proxy share it with whoever
 * attacks them. Thread-safe.
 */
@ApplicationScoped
public class KnownDevices {

  public static final String COOKIE = "__Host-portcullis-device";
  private static final int MAX_COOKIE_LENGTH = 128;

  @PersistenceContext EntityManager em;

  @Inject RateLimitSettings settings;
  @Inject Clock clock;

  /** The device cookie of a request, if it carries one that could be ours. */
  public static Optional<String> read(HttpServletRequest request) {
    var cookies = request.getCookies();
    if (cookies == null) {
      return Optional.empty();
    }
    for (var cookie : cookies) {
      if (COOKIE.equals(cookie.getName())
          && !cookie.getValue().isEmpty()
          && cookie.getValue().length() <= MAX_COOKIE_LENGTH) {
        return Optional.of(cookie.getValue());
      }
    }
    return Optional.empty();
  }

  /** The {@code Set-Cookie} value that makes the client keep {@code device}. */
  public String setCookie(String device) {
    return COOKIE
        + "="
        + device
        + "; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age="
        + settings.knownDeviceTtl().toSeconds();
  }

  /**
   * Whether {@code device} has logged in to the account recently and has not used up its failure
   * budget.
   */
  @Transactional
  public boolean isKnown(String device, UUID userId) {
    if (device == null) {
      return false;
    }
    var known = em.find(KnownDevice.class, key(device, userId));
    Instant now = clock.instant();
    return known != null
        && known.lastUsedAt().plus(settings.knownDeviceTtl()).isAfter(now)
        && !exhausted(known, now);
  }

  /** Counts a wrong password sent to the account from the known {@code device}. */
  @Transactional
  public void failed(String device, UUID userId) {
    if (device == null) {
      return;
    }
    var known = em.find(KnownDevice.class, key(device, userId), LockModeType.PESSIMISTIC_WRITE);
    if (known == null) {
      return;
    }
    Instant now = clock.instant();
    known.failed(recent(known, now) ? known.failures() + 1 : 1, now);
  }

  /**
   * Records a successful login from the device that presented {@code device} and makes {@code
   * device.next()} its value: the presented value (if any) is retired for every account it was
   * known to, and the new one is known to this account with no failures. Joins the login's
   * transaction.
   *
   * @return the value the client must keep from now on
   */
  @Transactional
  public String issue(DeviceCookie device, UUID userId) {
    String next = OpaqueTokens.sha256(device.next());
    if (device.presented() != null) {
      String presented = OpaqueTokens.sha256(device.presented());
      em.createNamedQuery(KnownDevice.DELETE_ONE)
          .setParameter("hash", presented)
          .setParameter("user", userId)
          .executeUpdate();
      // the same browser, known to other accounts too: they follow it to the new value
      em.createNativeQuery("UPDATE known_devices SET token_hash = ?1 WHERE token_hash = ?2")
          .setParameter(1, next)
          .setParameter(2, presented)
          .executeUpdate();
    }
    em.persist(new KnownDevice(next, userId, clock.instant()));
    return device.next();
  }

  /**
   * Forgets every device of a user whose password changed or who was disabled (same transaction).
   */
  void onUserChanged(@Observes UserChanged change) {
    if (change.endsSessions()) {
      em.createNamedQuery(KnownDevice.DELETE_OF_USER)
          .setParameter("user", change.userId())
          .executeUpdate();
    }
  }

  private boolean exhausted(KnownDevice known, Instant now) {
    return known.failures() >= settings.knownDeviceFailures() && recent(known, now);
  }

  /** Whether the device's last failure is recent enough to count its failures on. */
  private boolean recent(KnownDevice known, Instant now) {
    return known.lastFailureAt() != null
        && !now.isAfter(known.lastFailureAt().plus(settings.lockout().resetAfter()));
  }

  private static KnownDevice.Key key(String device, UUID userId) {
    return new KnownDevice.Key(OpaqueTokens.sha256(device), userId);
  }
}
