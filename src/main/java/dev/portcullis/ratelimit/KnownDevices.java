package dev.portcullis.ratelimit;

import dev.portcullis.token.OpaqueTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Devices that have logged in to an account before, so someone else's failures do not lock their
 * owner out (SECURITY.md, "Rate limits and lock-out").
 *
 * <p>A device is known by the {@code __Host-portcullis-device} cookie: a 256-bit random value set
 * at every successful password login (JSON or form), stored as its SHA-256 with the account it
 * logged in to, and forgotten after {@code portcullis.rate-limit.known-device-ttl} without use.
 * Requests presenting it for that account skip the account's rate limit and lock (the per-IP limit
 * still applies). The client address is deliberately not used: users behind one NAT or proxy share
 * it with whoever attacks them. Thread-safe.
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

  /** Whether {@code device} has logged in to the account recently. */
  @Transactional
  public boolean isKnown(String device, UUID userId) {
    if (device == null) {
      return false;
    }
    var known =
        em.find(KnownDevice.class, new KnownDevice.Key(OpaqueTokens.sha256(device), userId));
    return known != null
        && known.lastUsedAt().plus(settings.knownDeviceTtl()).isAfter(clock.instant());
  }

  /**
   * Records a successful login from {@code device} (a new random value when null) and returns the
   * value the client should keep.
   */
  @Transactional
  public String remember(String device, UUID userId) {
    String value = device == null ? OpaqueTokens.random() : device;
    Instant now = clock.instant();
    var key = new KnownDevice.Key(OpaqueTokens.sha256(value), userId);
    var known = em.find(KnownDevice.class, key);
    if (known == null) {
      em.persist(new KnownDevice(OpaqueTokens.sha256(value), userId, now));
    } else {
      known.used(now);
    }
    return value;
  }
}
