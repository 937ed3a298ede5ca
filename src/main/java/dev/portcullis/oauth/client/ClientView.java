package dev.portcullis.oauth.client;

import dev.portcullis.problem.JsonFactory;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The JSON shape of a client in the admin API: the registration under the field names it was
 * registered with, plus {@code source}, {@code created_at} and {@code updated_at}. Never the
 * secret's hash; the secret itself only in the answer that created it ({@link #created}).
 */
final class ClientView {

  private ClientView() {}

  static JsonObject of(OAuthClient client) {
    return builder(client).build();
  }

  /** The client with its new secret ({@code client_secret}), for a confidential client. */
  static JsonObject created(CreatedClient created) {
    var json = builder(created.client());
    if (created.secret() != null) {
      json.add("client_secret", created.secret());
    }
    return json.build();
  }

  private static JsonObjectBuilder builder(OAuthClient stored) {
    var c = stored.registered();
    var json = JsonFactory.createObjectBuilder();
    json.add("client_id", c.clientId())
        .add("name", c.name())
        .add("redirect_uris", array(c.redirectUris()))
        .add("post_logout_redirect_uris", array(c.postLogoutRedirectUris()))
        .add("grant_types", array(new TreeSet<>(c.grantTypes())))
        .add("token_endpoint_auth_method", c.authMethod().wireName())
        .add("scopes", array(new TreeSet<>(c.scopes())))
        .add("require_pkce", c.requirePkce())
        .add("consent", c.consentRequired() ? "required" : "implicit")
        .add("access_token_profile", c.accessTokenProfile().wireName())
        .add("roles", array(new TreeSet<>(c.roles())));
    duration(json, "access_token_ttl", c.accessTokenTtl());
    duration(json, "refresh_token_ttl", c.refreshTokenTtl());
    return json.add("source", stored.source())
        .add("created_at", stored.createdAt().toString())
        .add("updated_at", stored.updatedAt().toString());
  }

  private static JsonArrayBuilder array(Collection<String> values) {
    var array = JsonFactory.createArrayBuilder();
    values.forEach(array::add);
    return array;
  }

  private static void duration(JsonObjectBuilder json, String name, Optional<Duration> value) {
    if (value.isPresent()) {
      json.add(name, value.get().toString());
    } else {
      json.addNull(name);
    }
  }
}
