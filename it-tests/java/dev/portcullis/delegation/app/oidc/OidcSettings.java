package dev.portcullis.delegation.app.oidc;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Where Portcullis is and who this application is to it, from MicroProfile Config: {@code
 * META-INF/microprofile-config.properties} names the provider and the client id, and the client
 * secret comes from the environment ({@code OIDC_CLIENT_SECRET}) or a system property, never from a
 * file in the WAR. {@link OidcLogin} reads them through EL as {@code ${oidcSettings.clientId}}.
 * Immutable after injection; thread-safe.
 */
@Named
@ApplicationScoped
public class OidcSettings {

  @Inject
  @ConfigProperty(name = "oidc.provider-uri")
  String providerUri;

  @Inject
  @ConfigProperty(name = "oidc.client-id")
  String clientId;

  @Inject
  @ConfigProperty(name = "oidc.client-secret")
  String clientSecret;

  public String getProviderUri() {
    return providerUri;
  }

  public String getClientId() {
    return clientId;
  }

  public String getClientSecret() {
    return clientSecret;
  }
}
