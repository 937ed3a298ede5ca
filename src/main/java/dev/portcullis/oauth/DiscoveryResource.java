package dev.portcullis.oauth;

import dev.portcullis.config.Settings;
import dev.portcullis.oauth.client.ClientAuthMethod;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.List;

/**
 * {@code /.well-known/openid-configuration} (OpenID Connect Discovery 1.0) and {@code
 * /.well-known/oauth-authorization-server} (RFC 8414): one document, every URL built from the
 * configured issuer, never from the request's Host header.
 */
@Path("")
@ApplicationScoped
public class DiscoveryResource {

  @Inject Settings settings;

  private volatile String document;

  @GET
  @Path("openid-configuration")
  public Response openIdConfiguration() {
    return respond();
  }

  @GET
  @Path("oauth-authorization-server")
  public Response authorizationServer() {
    return respond();
  }

  private Response respond() {
    return Response.ok(document(), "application/json")
        .header("Cache-Control", "public, max-age=3600")
        .build();
  }

  String document() {
    if (document == null) {
      String issuer = settings.issuer();
      String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
      document =
          Json.createObjectBuilder()
              .add("issuer", issuer)
              .add("authorization_endpoint", base + "/oauth2/authorize")
              .add("token_endpoint", base + "/oauth2/token")
              .add("userinfo_endpoint", base + "/oauth2/userinfo")
              .add("jwks_uri", base + "/oauth2/jwks")
              .add("revocation_endpoint", base + "/oauth2/revoke")
              .add("introspection_endpoint", base + "/oauth2/introspect")
              .add("end_session_endpoint", base + "/oauth2/logout")
              .add("response_types_supported", array("code"))
              .add("response_modes_supported", array("query"))
              .add(
                  "grant_types_supported",
                  array("authorization_code", "refresh_token", "client_credentials"))
              .add("subject_types_supported", array("public"))
              .add("id_token_signing_alg_values_supported", array("RS256"))
              .add("userinfo_signing_alg_values_supported", array("none"))
              .add(
                  "token_endpoint_auth_methods_supported",
                  array(
                      Arrays.stream(ClientAuthMethod.values())
                          .map(ClientAuthMethod::wireName)
                          .toArray(String[]::new)))
              .add(
                  "revocation_endpoint_auth_methods_supported",
                  array("client_secret_basic", "client_secret_post", "none"))
              .add(
                  "introspection_endpoint_auth_methods_supported",
                  array("client_secret_basic", "client_secret_post"))
              .add("code_challenge_methods_supported", array("S256"))
              .add(
                  "scopes_supported",
                  array(
                      Scopes.OPENID,
                      Scopes.PROFILE,
                      Scopes.EMAIL,
                      Scopes.OFFLINE_ACCESS,
                      Scopes.GROUPS))
              .add(
                  "claims_supported",
                  array(
                      "sub",
                      "iss",
                      "aud",
                      "exp",
                      "iat",
                      "auth_time",
                      "nonce",
                      "acr",
                      "amr",
                      "azp",
                      "at_hash",
                      "sid",
                      "name",
                      "preferred_username",
                      "email",
                      "email_verified",
                      "groups"))
              .add("prompt_values_supported", array("none", "login", "consent", "select_account"))
              .add("claims_parameter_supported", false)
              .add("request_parameter_supported", false)
              .add("request_uri_parameter_supported", false)
              .add("require_request_uri_registration", false)
              .add("authorization_response_iss_parameter_supported", true)
              .add("frontchannel_logout_supported", false)
              .add("backchannel_logout_supported", false)
              .build()
              .toString();
    }
    return document;
  }

  private static JsonArrayBuilder array(String... values) {
    var array = Json.createArrayBuilder();
    List.of(values).forEach(array::add);
    return array;
  }
}
