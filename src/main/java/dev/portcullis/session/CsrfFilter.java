package dev.portcullis.session;

import dev.portcullis.audit.Refusals;
import dev.portcullis.caller.AuthMethod;
import dev.portcullis.caller.Caller;
import dev.portcullis.problem.ErrorCode;
import dev.portcullis.problem.Problem;
import dev.portcullis.web.ClientInfo;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;

/**
 * Refuses unsafe JSON API calls authenticated by the session cookie unless they carry the session's
 * CSRF token in {@code X-CSRF-Token} and come from this origin (403 {@code CSRF_REJECTED}). Bearer
 * tokens and API keys are not sent by browsers on their own, so they need no such proof. Each
 * refusal is audited ({@link Refusals}, {@code CSRF_REJECTED}, reason {@code CROSS_ORIGIN} or
 * {@code BAD_TOKEN}).
 */
@Provider
@Priority(Priorities.AUTHENTICATION + 10)
public class CsrfFilter implements ContainerRequestFilter {

  @Inject SessionService sessions;
  @Inject Refusals refusals;

  @Context HttpServletRequest request;
  @Context ResourceInfo resource;

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
      var method = resource.getResourceMethod();
      refusals.csrfRejected(
          ClientInfo.of(request),
          CsrfProtection.sameOrigin(request) ? "BAD_TOKEN" : "CROSS_ORIGIN",
          caller.userId().toString(),
          method == null
              ? "unknown"
              : method.getDeclaringClass().getSimpleName() + "." + method.getName());
      context.abortWith(
          Problem.of(
                  ErrorCode.CSRF_REJECTED,
                  "Send the page's CSRF token in X-CSRF-Token from this site")
              .toResponse());
    }
  }
}
