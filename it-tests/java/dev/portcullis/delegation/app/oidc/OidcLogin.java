package dev.portcullis.delegation.app.oidc;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.security.enterprise.authentication.mechanism.http.OpenIdAuthenticationMechanismDefinition;
import jakarta.security.enterprise.authentication.mechanism.http.openid.LogoutDefinition;

/**
 * How a legacy Jakarta EE 10 application delegates its login to Portcullis with nothing but Jakarta
 * Security 3 (Soteria on Payara): this annotation, the settings in {@link OidcSettings}, a callback
 * page ({@link CallbackServlet}) and a logout action ({@link LogoutServlet}). The README quotes it.
 *
 * <ul>
 *   <li>{@code providerURI}: Portcullis' issuer; Soteria reads {@code
 *       <issuer>/.well-known/openid-configuration} and checks every ID token's {@code iss} against
 *       it.
 *   <li>{@code redirectURI}, and {@code logout.redirectURI} (where Portcullis sends the browser
 *       after signing it out), must be registered with the client exactly as Soteria builds them
 *       ({@code ${baseURL}} is the application's scheme, host, port and context path).
 *   <li>{@code scope}: {@code groups} makes Portcullis put the user's roles in the ID token, where
 *       Soteria finds them ({@code callerGroupsClaim} defaults to {@code groups}); with
 *       {@code @DeclareRoles} they are the caller's roles. The caller name is {@code
 *       preferred_username} ({@code callerNameClaim}'s default).
 *   <li>Register the client as confidential with {@code "token_endpoint_auth_method":
 *       "client_secret_post"} (what Soteria sends) and {@code "require_pkce": false} (Soteria sends
 *       no PKCE; it sends a {@code nonce}, which Portcullis then requires).
 *   <li>{@code notifyProvider = true}: {@code HttpServletRequest#logout()} sends the browser to
 *       Portcullis' {@code end_session_endpoint} with {@code id_token_hint}, which ends the
 *       Portcullis session too (single sign-out).
 * </ul>
 *
 * <p>Settings use {@code ${...}} (evaluated once), not {@code #{...}}: Payara ignores a deferred
 * expression in {@code callerGroupsClaim} (payara/Payara#6159).
 */
@ApplicationScoped
@OpenIdAuthenticationMechanismDefinition(
    providerURI = "${oidcSettings.providerUri}",
    clientId = "${oidcSettings.clientId}",
    clientSecret = "${oidcSettings.clientSecret}",
    redirectURI = "${baseURL}/callback",
    scope = {"openid", "profile", "email", "groups"},
    logout = @LogoutDefinition(notifyProvider = true, redirectURI = "${baseURL}/signed-out"))
public class OidcLogin {}
