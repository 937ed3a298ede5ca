package dev.portcullis.login;

import dev.portcullis.audit.Refusals;
import dev.portcullis.caller.Caller;
import dev.portcullis.problem.ErrorCode;
import dev.portcullis.problem.Problem;
import dev.portcullis.session.CsrfProtection;
import dev.portcullis.web.ClientInfo;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The one gate in front of every Faces page, deciding on the container's own mapping of the request
 * (decoded, {@code ;param}-free), never on the raw URI:
 *
 * <ul>
 *   <li>Faces serves only the extensionless pages ({@code /login}, {@code /account}, and every page
 *       added later), which the container maps {@link MappingMatch#EXACT exactly}; every other
 *       spelling of a page ({@code /faces/*}, {@code *.xhtml}, {@code *.jsf}, {@code *.faces}) is
 *       404.
 *   <li>A form post to a page must come from this site ({@link CsrfProtection#sameOrigin}): a
 *       cross-site post is refused with 403 {@code CSRF_REJECTED} before Faces reads it, so a login
 *       form submitted from another site starts no session (login CSRF).
 *   <li>Every page but {@code /login} and {@code /login/password} serves browser-session callers
 *       only ({@link Caller#browserSession}); an anonymous visitor, and equally a caller with a
 *       bearer token or an API key, is sent to {@code /login?next=<page>} (with the query of a
 *       {@code GET}, so {@code /consent?continue=...} survives the sign-in). The backing beans
 *       check again on each action.
 * </ul>
 *
 * <p>Thread-safe.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class PageGuardFilter extends HttpFilter {

  private static final long serialVersionUID = 1L;

  @Inject transient Refusals refusals;

  /** The class every Faces implementation registers its servlet with. */
  static final String FACES_SERVLET = "jakarta.faces.webapp.FacesServlet";

  /** Pages anyone may see: sign-in and its password-change step. */
  static final Set<String> PUBLIC_PAGES = Set.of("/login", PasswordChangeBacking.VIEW);

  /** What the gate does with a request for the Faces servlet. */
  enum Decision {
    SERVE,
    NOT_FOUND,
    CROSS_SITE,
    SIGN_IN
  }

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletMapping mapping = request.getHttpServletMapping();
    if (!isFacesServlet(request, mapping.getServletName())) {
      chain.doFilter(request, response);
      return;
    }
    switch (decide(
        mapping.getMappingMatch(),
        mapping.getPattern(),
        CsrfProtection.isSafeMethod(request.getMethod()) || CsrfProtection.sameOrigin(request),
        Caller.browserSession(request).isPresent())) {
      case SERVE -> chain.doFilter(request, response);
      case NOT_FOUND -> response.sendError(HttpServletResponse.SC_NOT_FOUND);
      case CROSS_SITE -> {
        refusals.csrfRejected(
            ClientInfo.of(request), "CROSS_ORIGIN", null, mapping.getPattern().substring(1));
        refuseCrossSitePost(response);
      }
      case SIGN_IN -> {
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader(
            "Location",
            signInLocation(
                request,
                returnTo(mapping.getPattern(), request.getMethod(), request.getQueryString())));
      }
    }
  }

  /**
   * The decision for a request the container mapped to the Faces servlet.
   *
   * @param match how the container matched it; only {@link MappingMatch#EXACT} names a page
   * @param page the mapping's pattern, such as {@code /account}
   * @param fromThisSite whether the request is safe or its headers say it comes from this site
   * @param browserSession whether the caller presented the browser-session cookie
   */
  static Decision decide(
      MappingMatch match, String page, boolean fromThisSite, boolean browserSession) {
    if (match != MappingMatch.EXACT) {
      return Decision.NOT_FOUND;
    }
    if (!fromThisSite) {
      return Decision.CROSS_SITE;
    }
    return PUBLIC_PAGES.contains(page) || browserSession ? Decision.SERVE : Decision.SIGN_IN;
  }

  /**
   * The page to come back to after signing in: a {@code GET} keeps its query ({@code
   * /consent?continue=...} must come back with its {@code continue}), a form post does not (its
   * view state is of no use after a login). The login page accepts it only as a local target
   * ({@link SafeRedirects}).
   */
  static String returnTo(String page, String method, String query) {
    boolean read = "GET".equalsIgnoreCase(method) || "HEAD".equalsIgnoreCase(method);
    return read && query != null && !query.isEmpty() ? page + "?" + query : page;
  }

  /** Where a visitor without a browser session is sent for {@code page}: the login page. */
  static String signInLocation(HttpServletRequest request, String page) {
    return request.getContextPath()
        + "/login?next="
        + URLEncoder.encode(page, StandardCharsets.UTF_8);
  }

  /**
   * Answers a form post from another site: 403 {@code CSRF_REJECTED}; the form is not read, no
   * password checked and no session started.
   */
  static void refuseCrossSitePost(HttpServletResponse response) throws IOException {
    var problem =
        Problem.of(ErrorCode.CSRF_REJECTED, "Submit this site's forms from this site only");
    problem.writeTo(response);
  }

  private static boolean isFacesServlet(HttpServletRequest request, String servletName) {
    if (servletName == null) {
      return false;
    }
    var registration = request.getServletContext().getServletRegistration(servletName);
    return registration != null && FACES_SERVLET.equals(registration.getClassName());
  }
}
