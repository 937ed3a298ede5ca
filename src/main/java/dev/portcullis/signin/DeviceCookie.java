package dev.portcullis.signin;

import dev.portcullis.secret.OpaqueTokens;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The {@code __Host-portcullis-device} cookie of a login request, and the fresh value a successful
 * login issues in its place ({@link KnownDevices}).
 *
 * <p>The presented value is only ever looked up: a value the client made up finds nothing, and is
 * never stored. Usage: {@code var device = DeviceCookie.of(request);} then, after the login, {@code
 * devices.setCookie(device.next())}.
 *
 * @param presented the value the request carried, or null
 * @param next a new 256-bit random value for the client to keep if the login succeeds
 */
public record DeviceCookie(String presented, String next) {

  /** The device cookie of {@code request} and a fresh value to replace it. */
  public static DeviceCookie of(HttpServletRequest request) {
    return new DeviceCookie(KnownDevices.read(request).orElse(null), OpaqueTokens.random());
  }

  /** A request without a device cookie (a fresh value is still issued at a success). */
  public static DeviceCookie none() {
    return new DeviceCookie(null, OpaqueTokens.random());
  }
}
