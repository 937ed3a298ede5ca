package dev.portcullis.upstream;

import java.net.URI;

/**
 * Where one provider's endpoints are: from OpenID discovery for OpenID providers, from the
 * configured web and API bases for GitHub. Every URL is {@link UpstreamSettings#callable}.
 *
 * @param authorization where the browser is sent to sign in
 * @param token the token endpoint (back channel)
 * @param keys the JWKS of an OpenID provider; null for GitHub
 * @param user GitHub's {@code /user} API; null for OpenID providers
 * @param emails GitHub's {@code /user/emails} API; null for OpenID providers
 * @param issParameterRequired whether the provider said it sends the RFC 9207 {@code iss}
 *     parameter, which must then be present
 */
record ProviderEndpoints(
    URI authorization, URI token, URI keys, URI user, URI emails, boolean issParameterRequired) {}
