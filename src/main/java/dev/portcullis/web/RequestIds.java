package dev.portcullis.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The id of a request, recorded in its audit events and answered in {@code X-Request-Id}: the
 * caller's (or a proxy's) {@code X-Request-Id} when it is a short token of safe characters,
 * otherwise a new random UUID. Assigned once per request by the request guard filter.
 */
public final class RequestIds {

  public static final String HEADER = "X-Request-Id";
  private static final String ATTRIBUTE = RequestIds.class.getName();
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private RequestIds() {}

  /** The id of {@code request}, assigning one on first use. */
  public static String of(HttpServletRequest request) {
    if (request.getAttribute(ATTRIBUTE) instanceof String id) {
      return id;
    }
    String given = request.getHeader(HEADER);
    String id = given != null && SAFE.matcher(given).matches() ? given : newId();
    request.setAttribute(ATTRIBUTE, id);
    return id;
  }

  /** A random (version 4, IETF variant) UUID. */
  static String newId() {
    var random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
    return new UUID(high, low).toString();
  }
}
