package dev.portcullis.delegation.app.elytron;

import jakarta.json.Json;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Signs the caller out of the application and of Portcullis (a POST). WildFly 39's OIDC client
 * (Elytron 2.8) has no RP-initiated logout of its own, so this servlet does what {@code
 * notifyProvider} does for Jakarta Security: it takes the ID token from the request's {@code
 * OidcSecurityContext}, ends the local session, and redirects the browser to the provider's {@code
 * end_session_endpoint} (from its discovery document) with {@code id_token_hint} and {@code
 * post_logout_redirect_uri} (which must be registered with the client).
 */
@WebServlet("/logout")
public class ElytronLogoutServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;
  private static final String SECURITY_CONTEXT =
      "org.wildfly.security.http.oidc.OidcSecurityContext";

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    String idToken = idToken(request);
    request.logout();
    var session = request.getSession(false);
    if (session != null) {
      session.invalidate();
    }
    String signedOut = baseUrl(request) + "/signed-out";
    if (idToken == null) {
      response.sendRedirect(signedOut);
      return;
    }
    response.sendRedirect(
        endSessionEndpoint(request)
            + "?id_token_hint="
            + URLEncoder.encode(idToken, StandardCharsets.UTF_8)
            + "&post_logout_redirect_uri="
            + URLEncoder.encode(signedOut, StandardCharsets.UTF_8));
  }

  /** The raw ID token of this session, read without a compile-time tie to Elytron. */
  private static String idToken(HttpServletRequest request) throws ServletException {
    Object context = request.getAttribute(SECURITY_CONTEXT);
    if (context == null) {
      return null;
    }
    try {
      return (String) context.getClass().getMethod("getIDTokenString").invoke(context);
    } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
      throw new ServletException("cannot read the ID token", e);
    }
  }

  /** {@code end_session_endpoint} of the provider named in {@code WEB-INF/oidc.json}. */
  private String endSessionEndpoint(HttpServletRequest request) throws IOException {
    String provider;
    try (InputStream json = getServletContext().getResourceAsStream("/WEB-INF/oidc.json");
        var reader = Json.createReader(json)) {
      provider = reader.readObject().getString("provider-url");
    }
    var client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try {
      var discovery =
          client.send(
              HttpRequest.newBuilder(
                      URI.create(
                          provider.replaceAll("/$", "") + "/.well-known/openid-configuration"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      try (var reader = Json.createReader(new StringReader(discovery.body()))) {
        return reader.readObject().getString("end_session_endpoint");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static String baseUrl(HttpServletRequest request) {
    String url = request.getRequestURL().toString();
    return url.substring(0, url.length() - request.getRequestURI().length())
        + request.getContextPath();
  }
}
