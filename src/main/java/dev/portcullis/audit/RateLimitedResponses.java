package dev.portcullis.audit;

import dev.portcullis.web.ClientInfo;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;

/**
 * Audits every 429 the JSON API answers ({@link Refusals}: {@code RATE_LIMITED}, reason {@code
 * API}, aggregated per source), naming the resource method that refused, never the request's own
 * URI, so a client cannot vary the kind and escape the aggregation. A response filter, so it sees
 * the 429 however a resource produced it (a {@code ProblemException} mapped to problem+json, or a
 * response of its own); the mechanism audits the 429s it answers itself, before any resource.
 */
@Provider
public class RateLimitedResponses implements ContainerResponseFilter {

  @Inject Refusals refusals;

  @Context HttpServletRequest request;

  @Context ResourceInfo resource;

  @Override
  public void filter(ContainerRequestContext requestContext, ContainerResponseContext response) {
    if (response.getStatus() == 429) {
      refusals.rateLimited(ClientInfo.of(request), "API", endpoint());
    }
  }

  private String endpoint() {
    var method = resource == null ? null : resource.getResourceMethod();
    return method == null
        ? "unknown"
        : method.getDeclaringClass().getSimpleName() + "." + method.getName();
  }
}
