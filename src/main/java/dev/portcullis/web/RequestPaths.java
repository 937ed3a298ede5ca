package dev.portcullis.web;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The path a request addresses inside the application, as the container mapped it: decoded, without
 * {@code ;param} path parameters or dot segments, without the context path ({@code getServletPath()
 * + getPathInfo()}). Every decision that depends on where a request goes (HTTPS only, the API's
 * cache rules, which credentials a path tolerates, the forward-auth audience) reads it here, so
 * {@code /%61pi/…} or {@code /api;x/…} cannot be one path to the check and another to the servlet
 * that answers.
 *
 * <p>Usage: {@code if (RequestPaths.isApi(RequestPaths.of(request))) …}. Thread-safe.
 */
public final class RequestPaths {

  /** Where the JSON API is mapped ({@code @ApplicationPath("/api")}). */
  public static final String API = "/api";

  /**
   * The forward-authentication endpoint ({@code GET /api/v1/auth/verify}), the one path where a
   * trusted proxy may name the audience of an API key.
   */
  public static final String FORWARD_AUTH = "/api/v1/auth/verify";

  private RequestPaths() {}

  /** The container's normalised path of {@code request}, such as {@code /api/v1/me}. */
  public static String of(HttpServletRequest request) {
    return join(request.getServletPath(), request.getPathInfo());
  }

  /** Whether {@code path} (a normalised path) is the JSON API or under it. */
  public static boolean isApi(String path) {
    return path.equals(API) || path.startsWith(API + "/");
  }

  static String join(String servletPath, String pathInfo) {
    String path = (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
    return path.isEmpty() ? "/" : path;
  }
}
