package dev.portcullis.delegation.app.mpjwt;

import jakarta.annotation.security.DeclareRoles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.auth.LoginConfig;

/**
 * A Jakarta REST API that accepts Portcullis access tokens through MicroProfile JWT (on Payara):
 * this class, {@code META-INF/microprofile-config.properties} (the JWKS URL, the issuer and this
 * API's audience) and {@code @RolesAllowed} on the resources. The README quotes it.
 *
 * <p>The tokens it accepts come from a client registered with {@code "access_token_profile":
 * "mp-jwt"}: header {@code typ: JWT}, RS256, {@code upn} and {@code groups} (MP-JWT on Payara
 * refuses any other {@code typ}, such as the {@code at+jwt} of the default {@code rfc9068} profile,
 * and PS256), and {@code aud} equal to a value of {@code mp.jwt.verify.audiences}. A service
 * calling the API gets one with the client-credentials grant; its {@code groups} are the client's
 * registered {@code roles}.
 *
 * <p>{@code @ApplicationScoped} is required: without it Payara fails the deployment ({@code
 * WELD-001408} for {@code JsonWebToken}). No {@code payara-mp-jwt.properties} is needed (in
 * particular not {@code disable.type.verification}).
 */
@ApplicationPath("/api")
@LoginConfig(authMethod = "MP-JWT")
@DeclareRoles({"service"})
@ApplicationScoped
public class OrdersApi extends Application {}
