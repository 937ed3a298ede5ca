package dev.portcullis.session;

import dev.portcullis.authentication.AuthMethod;
import dev.portcullis.authentication.Caller;
import dev.portcullis.problem.Problem;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;

/**
 * Refuses unsafe JSON API calls authenticated by the session cookie unless they carry the session's
 * CSRF token in {@code X-CSRF-Token} and come from this origin (403 {@code CSRF_REJECTED}). Bearer
 * tokens and API keys are not sent by browsers on their own, so they need no such proof.
 */
@Provider
@Priority(Priorities.AUTHENTICATION + 10)
public class CsrfFilter implements ContainerRequestFilter {

  @Inject SessionService sessions;

  @Context HttpServletRequest request;

  @Override
  public void filter(ContainerRequestContext context) {
    if (CsrfProtection.isSafeMethod(context.getMethod())
        || !(request.getAttribute(Caller.ATTRIBUTE) instanceof Caller caller)
        || caller.method() != AuthMethod.SESSION) {
      return;
    }
    String expected =
        SessionCookies.read(request)
            .flatMap(sessions::validate)
            .map(SessionRecord::csrfToken)
            .orElse(null);
    if (!CsrfProtection.passes(request, context.getHeaderString("X-CSRF-Token"), expected)) {
      context.abortWith(
          new Problem(
                  403,
                  "CSRF_REJECTED",
                  "Forbidden",
                  "Send the page's CSRF token in X-CSRF-Token from this site")
              .toResponse());
    }
  }
}
