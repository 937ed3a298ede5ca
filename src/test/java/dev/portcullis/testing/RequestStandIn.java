package dev.portcullis.testing;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A request for unit tests of code that reads credentials and paths: headers (names
 * case-insensitive, a header added twice is repeated), cookies, the path and the peer address, and
 * request attributes. Any other method throws {@link UnsupportedOperationException}, so a test
 * notices code that reads more than it stands in for.
 *
 * <p>The path is the container's normalised path ({@code getServletPath()}, no path info), as a
 * servlet mapped exactly to it would see it. Like a container, {@code getCookies()} answers null
 * when there are none.
 *
 * <p>Usage: {@code RequestStandIn.to("/api/v1/me").header("Authorization", "Bearer t").build()}.
 * Not thread-safe.
 */
public final class RequestStandIn {

  /** The peer address unless {@link #from} names another (TEST-NET-3, RFC 5737). */
  public static final String CLIENT = "203.0.113.5";

  private final String path;
  private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  private final List<Cookie> cookies = new ArrayList<>();
  private String peer = CLIENT;

  private RequestStandIn(String path) {
    this.path = path;
  }

  /** A request for {@code path}, such as {@code /api/v1/me} or {@code /account}. */
  public static RequestStandIn to(String path) {
    return new RequestStandIn(path);
  }

  /** Adds a header value; adding a name again repeats the header. */
  public RequestStandIn header(String name, String value) {
    headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    return this;
  }

  public RequestStandIn cookie(String name, String value) {
    cookies.add(new Cookie(name, value));
    return this;
  }

  /** The direct peer ({@code getRemoteAddr()}). */
  public RequestStandIn from(String address) {
    peer = address;
    return this;
  }

  public HttpServletRequest build() {
    var headers = new TreeMap<String, List<String>>(String.CASE_INSENSITIVE_ORDER);
    this.headers.forEach((name, values) -> headers.put(name, List.copyOf(values)));
    var cookies = this.cookies.isEmpty() ? null : this.cookies.toArray(Cookie[]::new);
    var attributes = new HashMap<String, Object>();
    String peer = this.peer;
    String description = "RequestStandIn[" + path + "]";
    return (HttpServletRequest)
        Proxy.newProxyInstance(
            HttpServletRequest.class.getClassLoader(),
            new Class<?>[] {HttpServletRequest.class},
            (self, method, args) ->
                switch (method.getName()) {
                  case "getHeaders" ->
                      Collections.enumeration(headers.getOrDefault(args[0], List.of()));
                  case "getHeader" ->
                      headers.getOrDefault(args[0], List.of()).stream().findFirst().orElse(null);
                  case "getCookies" -> cookies == null ? null : cookies.clone();
                  case "getServletPath" -> path;
                  case "getPathInfo" -> null;
                  case "getRemoteAddr" -> peer;
                  case "getAttribute" -> attributes.get((String) args[0]);
                  case "setAttribute" -> attributes.put((String) args[0], args[1]);
                  case "removeAttribute" -> attributes.remove((String) args[0]);
                  case "toString" -> description;
                  case "hashCode" -> System.identityHashCode(self);
                  case "equals" -> self == args[0];
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }
}
