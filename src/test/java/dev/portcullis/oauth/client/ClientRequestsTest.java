package dev.portcullis.oauth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.config.MapConfig;
import dev.portcullis.config.Settings;
import dev.portcullis.config.SettingsProducer;
import dev.portcullis.problem.JsonBodies;
import dev.portcullis.problem.ProblemException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The registration rules of {@link ClientRequests}: defaults, every refusal (400 {@code
 * VALIDATION_FAILED} naming the field), and the differences between a {@code POST}, a {@code PUT}
 * and a clients-file entry. Server settings: the defaults (access tokens 15 minutes, refresh
 * families 30 days, roles {@code user}, {@code admin}, {@code auditor}).
 */
class ClientRequestsTest {

  private static final Settings SETTINGS =
      SettingsProducer.read(new MapConfig(Map.of("portcullis.roles", "user,admin,auditor")));

  private static final String WEB =
      "{\"name\":\"Web\",\"redirect_uris\":[\"https://app.example.com/cb\"],"
          + "\"grant_types\":[\"authorization_code\"]";

  private static RegisteredClient post(String json) {
    return ClientRequests.newClient(JsonBodies.object(json), SETTINGS);
  }

  private static RegisteredClient web(String more) {
    return post(WEB + more + "}");
  }

  @Test
  void aMinimalRegistrationTakesTheDefaults() {
    var c = web("");

    assertThat(c.clientId()).matches("[A-Za-z0-9_-]{22}");
    assertThat(c.name()).isEqualTo("Web");
    assertThat(c.redirectUris()).containsExactly("https://app.example.com/cb");
    assertThat(c.postLogoutRedirectUris()).isEmpty();
    assertThat(c.grantTypes()).containsExactly("authorization_code");
    assertThat(c.authMethod()).isEqualTo(ClientAuthMethod.CLIENT_SECRET_BASIC);
    assertThat(c.scopes()).containsExactlyInAnyOrder("openid", "profile", "email");
    assertThat(c.requirePkce()).isTrue();
    assertThat(c.consentRequired()).isFalse();
    assertThat(c.accessTokenProfile()).isEqualTo(AccessTokenProfile.RFC9068);
    assertThat(c.roles()).isEmpty();
    assertThat(c.accessTokenTtl()).isEmpty();
    assertThat(c.refreshTokenTtl()).isEmpty();
    assertThat(c.fromFile()).isFalse();
    assertThat(web("").clientId()).as("a new id each time").isNotEqualTo(c.clientId());
  }

  @Test
  void everyFieldIsRead() {
    var c =
        post(
            "{\"client_id\":\"svc.reports~1\",\"name\":\" Reports \",\"redirect_uris\":"
                + "[\"https://r.example/cb\",\"http://127.0.0.1:8080/cb\"],"
                + "\"post_logout_redirect_uris\":[\"https://r.example/bye\"],"
                + "\"grant_types\":[\"authorization_code\",\"refresh_token\","
                + "\"client_credentials\"],\"token_endpoint_auth_method\":\"client_secret_post\","
                + "\"scopes\":[\"openid\",\"reports:read\"],\"require_pkce\":false,"
                + "\"consent\":\"required\",\"access_token_profile\":\"mp-jwt\","
                + "\"roles\":[\"auditor\"],\"access_token_ttl\":\"PT5M\","
                + "\"refresh_token_ttl\":\"P1D\"}");

    assertThat(c)
        .isEqualTo(
            new RegisteredClient(
                "svc.reports~1",
                "Reports",
                java.util.List.of("https://r.example/cb", "http://127.0.0.1:8080/cb"),
                java.util.List.of("https://r.example/bye"),
                Set.of("authorization_code", "refresh_token", "client_credentials"),
                ClientAuthMethod.CLIENT_SECRET_POST,
                Set.of("openid", "reports:read"),
                false,
                true,
                AccessTokenProfile.MP_JWT,
                Set.of("auditor"),
                Optional.of(Duration.ofMinutes(5)),
                Optional.of(Duration.ofDays(1)),
                false));
  }

  @Test
  void aPublicClientNeedsPkceAndNoClientCredentials() {
    var c = web(",\"token_endpoint_auth_method\":\"none\"");
    assertThat(c.isPublic()).isTrue();
    assertThat(c.requirePkce()).isTrue();
  }

  @Test
  void anEmptyScopeListStaysEmpty() {
    assertThat(web(",\"scopes\":[]").scopes()).isEmpty();
    assertThat(web(",\"scopes\":null").scopes()).hasSize(3);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // members
        "'\"requir_pkce\":false' | requir_pkce is not a field of a client",
        "'\"client_secret\":\"x\"' | client_secret is not a field of a client registered through"
            + " the API",
        "'\"client_secret_hash\":\"x\"' | client_secret_hash is not a field",
        "'\"source\":\"file\"' | source is not a field",
        // client_id
        "'\"client_id\":\"\"' | client_id must be 1-64 characters",
        "'\"client_id\":\"a b\"' | client_id must be 1-64 characters",
        "'\"client_id\":\"a/b\"' | client_id must be 1-64 characters",
        "'\"client_id\":7' | client_id must be 1-64 characters",
        // token_endpoint_auth_method
        "'\"token_endpoint_auth_method\":\"private_key_jwt\"' | token_endpoint_auth_method must be",
        // scopes
        "'\"scopes\":[\"open id\"]' | scopes must each be",
        "'\"scopes\":[\"\"]' | scopes must each be",
        "'\"scopes\":\"openid\"' | 'scopes' must be an array of strings",
        // require_pkce, consent, profile
        "'\"require_pkce\":\"no\"' | 'require_pkce' must be true or false",
        "'\"consent\":\"never\"' | consent must be required or implicit",
        "'\"access_token_profile\":\"jwt\"' | access_token_profile must be rfc9068 or mp-jwt",
        // roles
        "'\"roles\":[\"admin\"]' | roles are what a client_credentials token carries",
        // lifetimes
        "'\"access_token_ttl\":\"PT59S\"' | access_token_ttl must be between PT1M and PT15M"
            + " (portcullis.token.access-ttl)",
        "'\"access_token_ttl\":\"PT16M\"' | access_token_ttl must be between PT1M and PT15M",
        "'\"access_token_ttl\":\"PT1M0.5S\"' | access_token_ttl must be whole seconds",
        "'\"access_token_ttl\":\"10 minutes\"' | access_token_ttl must be an ISO-8601 duration",
        "'\"access_token_ttl\":600' | 'access_token_ttl' must be a string",
        "'\"refresh_token_ttl\":\"P31D\"' | refresh_token_ttl must be between PT1M and PT720H"
            + " (portcullis.token.refresh-max-ttl)",
        // redirect URIs
        "'\"post_logout_redirect_uris\":[\"http://app.example.com/bye\"]' |"
            + " post_logout_redirect_uris[0] may use http only on a loopback host",
      })
  void refuses(String member, String detail) {
    assertThatThrownBy(() -> web("," + member))
        .isInstanceOfSatisfying(
            ProblemException.class,
            e -> {
              assertThat(e.problem().status()).isEqualTo(400);
              assertThat(e.problem().code()).isEqualTo("VALIDATION_FAILED");
              assertThat(e.problem().detail()).contains(detail);
            });
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "'{}' | name is required",
        "'{\"name\":\"  \",\"grant_types\":[\"client_credentials\"]}' | name is required",
        "'{\"name\":\"a\\u0007b\",\"grant_types\":[\"client_credentials\"]}' | name is required",
        "'{\"name\":\"x\"}' | grant_types must name one or more of",
        "'{\"name\":\"x\",\"grant_types\":[]}' | grant_types must name one or more of",
        "'{\"name\":\"x\",\"grant_types\":[\"password\"]}' | grant_types must name one or more of",
        "'{\"name\":\"x\",\"grant_types\":[\"implicit\"]}' | grant_types must name one or more of",
        "'{\"name\":\"x\",\"grant_types\":[\"authorization_code\"]}' | redirect_uris must name at"
            + " least one URI for authorization_code",
        "'{\"name\":\"x\",\"grant_types\":[\"client_credentials\"],"
            + "\"token_endpoint_auth_method\":\"none\"}' | grant_types cannot include"
            + " client_credentials for a public client",
        "'{\"name\":\"x\",\"grant_types\":[\"client_credentials\",\"refresh_token\"]}' |"
            + " refresh_token only with authorization_code",
        "'{\"name\":\"x\",\"grant_types\":[\"client_credentials\"],\"roles\":[\"root\"]}' |"
            + " roles must each be one of portcullis.roles",
        "'{\"name\":\"x\",\"grant_types\":[\"authorization_code\"],\"redirect_uris\":"
            + "[\"https://a.example/cb\"],\"token_endpoint_auth_method\":\"none\","
            + "\"require_pkce\":false}' | require_pkce cannot be false for a public client",
        "'{\"name\":\"x\",\"grant_types\":[\"authorization_code\"],\"redirect_uris\":"
            + "[\"com.example.app:/cb\"]}' | redirect_uris[0] uses a private-use scheme",
      })
  void refusesWhole(String json, String detail) {
    assertThatThrownBy(() -> post(json))
        .isInstanceOfSatisfying(
            ProblemException.class, e -> assertThat(e.problem().detail()).contains(detail));
  }

  @Test
  void aNameOfAHundredCharactersIsTheLongest() {
    String name = "n".repeat(100);
    assertThat(post("{\"name\":\"" + name + "\",\"grant_types\":[\"client_credentials\"]}").name())
        .isEqualTo(name);
    assertThatThrownBy(
            () -> post("{\"name\":\"" + name + "x\",\"grant_types\":[\"client_credentials\"]}"))
        .hasMessageContaining("name is required: 1-100 characters");
  }

  @Test
  void atMostFiftyScopes() {
    var scopes = new StringBuilder("[");
    for (int i = 0; i < 51; i++) {
      scopes.append(i == 0 ? "" : ",").append("\"s").append(i).append('"');
    }
    assertThatThrownBy(() -> web(",\"scopes\":" + scopes + "]"))
        .hasMessageContaining("scopes may name at most 50 scopes");
  }

  @Test
  void rolesNeedClientCredentialsAndAConfidentialClient() {
    var c =
        post(
            "{\"name\":\"Batch\",\"grant_types\":[\"client_credentials\"],"
                + "\"roles\":[\"user\",\"auditor\"],\"scopes\":[]}");
    assertThat(c.roles()).containsExactlyInAnyOrder("user", "auditor");
    assertThat(c.redirectUris()).isEmpty();
  }

  @Test
  void aReplacementKeepsItsIdAndRefusesAnother() {
    var c = ClientRequests.replacement(JsonBodies.object(WEB + "}"), "web", false, SETTINGS);
    assertThat(c.clientId()).isEqualTo("web");
    assertThat(
            ClientRequests.replacement(
                    JsonBodies.object(WEB + ",\"client_id\":\"web\"}"), "web", false, SETTINGS)
                .clientId())
        .isEqualTo("web");
    assertThatThrownBy(
            () ->
                ClientRequests.replacement(
                    JsonBodies.object(WEB + ",\"client_id\":\"other\"}"), "web", false, SETTINGS))
        .hasMessageContaining("client_id cannot change");
    assertThatThrownBy(
            () -> ClientRequests.replacement(JsonBodies.object(WEB + "}"), "web", true, SETTINGS))
        .as("a public client stays public")
        .hasMessageContaining("token_endpoint_auth_method cannot switch");
    assertThatThrownBy(
            () ->
                ClientRequests.replacement(
                    JsonBodies.object(WEB + ",\"token_endpoint_auth_method\":\"none\"}"),
                    "web",
                    false,
                    SETTINGS))
        .as("a confidential client stays confidential")
        .hasMessageContaining("token_endpoint_auth_method cannot switch");
  }

  @Test
  void aFileEntryNeedsAnIdAndMayNameItsSecret() {
    var c =
        ClientRequests.fileEntry(
            JsonBodies.object(WEB + ",\"client_id\":\"web\",\"client_secret_env\":\"X\"}"),
            SETTINGS);
    assertThat(c.clientId()).isEqualTo("web");
    assertThat(c.fromFile()).isTrue();
    assertThatThrownBy(() -> ClientRequests.fileEntry(JsonBodies.object(WEB + "}"), SETTINGS))
        .hasMessageContaining("client_id is required in the file");
  }
}
