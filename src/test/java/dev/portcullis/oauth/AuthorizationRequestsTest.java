package dev.portcullis.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.oauth.client.AccessTokenProfile;
import dev.portcullis.oauth.client.ClientAuthMethod;
import dev.portcullis.oauth.client.ClientRegistry;
import dev.portcullis.oauth.client.RegisteredClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthorizationRequestsTest {

  private static final String CALLBACK = "https://app.example/cb";
  private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

  private static RegisteredClient client(String id, ClientAuthMethod method, boolean requirePkce) {
    return new RegisteredClient(
        id,
        id,
        List.of(CALLBACK, "http://127.0.0.1/cb"),
        List.of(),
        Set.of("authorization_code", "refresh_token"),
        method,
        Set.of("openid", "profile", "offline_access"),
        requirePkce,
        false,
        AccessTokenProfile.RFC9068,
        Set.of(),
        Optional.empty(),
        Optional.empty(),
        false);
  }

  private final AuthorizationRequests requests = new AuthorizationRequests();

  {
    var clients =
        Map.of(
            "web", client("web", ClientAuthMethod.CLIENT_SECRET_BASIC, true),
            "legacy", client("legacy", ClientAuthMethod.CLIENT_SECRET_POST, false),
            "cli", client("cli", ClientAuthMethod.NONE, true));
    requests.clients =
        new ClientRegistry() {
          @Override
          public Optional<RegisteredClient> find(String clientId) {
            return Optional.ofNullable(clientId == null ? null : clients.get(clientId));
          }
        };
  }

  private static Map<String, List<String>> params(String... pairs) {
    var params = new HashMap<String, List<String>>();
    for (int i = 0; i < pairs.length; i += 2) {
      params.computeIfAbsent(pairs[i], k -> new java.util.ArrayList<>()).add(pairs[i + 1]);
    }
    return params;
  }

  private static Map<String, List<String>> valid(String client) {
    return params(
        "client_id", client,
        "response_type", "code",
        "redirect_uri", CALLBACK,
        "scope", "openid profile",
        "state", "xyz",
        "nonce", "n1",
        "code_challenge", CHALLENGE,
        "code_challenge_method", "S256");
  }

  private String redirectedError(Map<String, List<String>> params) {
    try {
      requests.validate(params);
    } catch (AuthorizationRequests.RedirectedError e) {
      assertThat(e.redirectUri()).isEqualTo(CALLBACK);
      return e.error();
    }
    throw new AssertionError("accepted");
  }

  @Test
  void aValidRequestIsAccepted() {
    var request = requests.validate(valid("web"));
    assertThat(request.scopes()).containsExactly("openid", "profile");
    assertThat(request.codeChallenge()).isEqualTo(CHALLENGE);
    assertThat(request.state()).isEqualTo("xyz");
  }

  @Test
  void unknownClientsAndUnregisteredRedirectsAreNeverRedirectedTo() {
    var unknown = valid("nobody");
    assertThatThrownBy(() -> requests.validate(unknown))
        .isInstanceOf(AuthorizationRequests.InvalidRedirect.class);
    var missingClient = valid("web");
    missingClient.remove("client_id");
    assertThatThrownBy(() -> requests.validate(missingClient))
        .isInstanceOf(AuthorizationRequests.InvalidRedirect.class);
    for (String uri :
        List.of(
            CALLBACK + "/",
            CALLBACK + "?a=b",
            "https://app.example/cb#x",
            "HTTPS://app.example/cb",
            "http://127.0.0.1:8080/cb",
            "https://evil.example/cb")) {
      var params = valid("web");
      params.put("redirect_uri", List.of(uri));
      assertThatThrownBy(() -> requests.validate(params))
          .as(uri)
          .isInstanceOf(AuthorizationRequests.InvalidRedirect.class);
    }
    var twice = valid("web");
    twice.get("redirect_uri").add(CALLBACK);
    assertThatThrownBy(() -> requests.validate(twice))
        .isInstanceOf(AuthorizationRequests.InvalidRedirect.class);
  }

  @Test
  void publicClientsMayUseAnyLoopbackPort() {
    var params = valid("cli");
    params.put("redirect_uri", List.of("http://127.0.0.1:49152/cb"));
    assertThat(requests.validate(params).redirectUri()).isEqualTo("http://127.0.0.1:49152/cb");
  }

  @Test
  void pkceIsS256AndRequiredUnlessAnAdminExemptedAConfidentialClient() {
    var none = valid("web");
    none.remove("code_challenge");
    none.remove("code_challenge_method");
    assertThat(redirectedError(none)).isEqualTo("invalid_request");
    var plain = valid("web");
    plain.put("code_challenge_method", List.of("plain"));
    assertThat(redirectedError(plain)).isEqualTo("invalid_request");
    var noMethod = valid("web");
    noMethod.remove("code_challenge_method");
    assertThat(redirectedError(noMethod)).isEqualTo("invalid_request");
    var shortChallenge = valid("web");
    shortChallenge.put("code_challenge", List.of("abc"));
    assertThat(redirectedError(shortChallenge)).isEqualTo("invalid_request");
    var methodOnly = valid("web");
    methodOnly.remove("code_challenge");
    assertThat(redirectedError(methodOnly)).isEqualTo("invalid_request");

    var exempt = valid("legacy");
    exempt.remove("code_challenge");
    exempt.remove("code_challenge_method");
    assertThat(requests.validate(exempt).codeChallenge()).isNull();
    exempt.remove("nonce");
    assertThat(redirectedError(exempt))
        .as("exempt clients must send a nonce")
        .isEqualTo("invalid_request");
  }

  @Test
  void otherParametersAreCheckedAndRedirected() {
    var token = valid("web");
    token.put("response_type", List.of("token"));
    assertThat(redirectedError(token)).isEqualTo("unsupported_response_type");
    var scope = valid("web");
    scope.put("scope", List.of("openid admin"));
    assertThat(redirectedError(scope)).isEqualTo("invalid_scope");
    var badScope = valid("web");
    badScope.put("scope", List.of("openid  profile"));
    assertThat(redirectedError(badScope)).isEqualTo("invalid_scope");
    var repeated = valid("web");
    repeated.get("scope").add("openid");
    assertThat(redirectedError(repeated)).isEqualTo("invalid_request");
    var prompt = valid("web");
    prompt.put("prompt", List.of("none login"));
    assertThat(redirectedError(prompt)).isEqualTo("invalid_request");
    var maxAge = valid("web");
    maxAge.put("max_age", List.of("-1"));
    assertThat(redirectedError(maxAge)).isEqualTo("invalid_request");
    var jar = valid("web");
    jar.put("request", List.of("eyJ..."));
    assertThat(redirectedError(jar)).isEqualTo("request_not_supported");
    var formPost = valid("web");
    formPost.put("response_mode", List.of("form_post"));
    assertThat(redirectedError(formPost)).isEqualTo("invalid_request");
  }
}
