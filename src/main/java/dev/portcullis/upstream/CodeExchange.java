package dev.portcullis.upstream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Redeems an authorization code at a provider's token endpoint (RFC 6749 4.1.3, with the PKCE
 * verifier of RFC 7636). OpenID providers get the client secret as HTTP Basic ({@code
 * client_secret_basic}, the OpenID default, with the RFC 6749 2.3.1 form-encoding); GitHub in the
 * body, as it documents. An {@code error} answer, even GitHub's 200 with one, is a refusal naming
 * the provider's error code. Thread-safe.
 */
@ApplicationScoped
public class CodeExchange {

  @Inject UpstreamHttp http;

  /** What the token endpoint answered. */
  record Tokens(String accessToken, String idToken) {}

  Tokens redeem(
      UpstreamProvider provider,
      ProviderEndpoints endpoints,
      String code,
      String redirectUri,
      String codeVerifier) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", code);
    form.put("redirect_uri", redirectUri);
    form.put("code_verifier", codeVerifier);
    var request =
        HttpRequest.newBuilder(endpoints.token())
            .header("Content-Type", "application/x-www-form-urlencoded");
    if (provider.kind() == ProviderKind.GITHUB) {
      form.put("client_id", provider.clientId());
      form.put("client_secret", provider.clientSecret());
    } else {
      String pair = encode(provider.clientId()) + ":" + encode(provider.clientSecret());
      request.header(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
    String body =
        form.entrySet().stream()
            .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
            .collect(Collectors.joining("&"));
    var answer = http.exchange(request.POST(HttpRequest.BodyPublishers.ofString(body)), "token");
    if (!(answer.json() instanceof JsonObject json)) {
      throw new SignInRefusedException("token_status_" + answer.status());
    }
    if (json.get("error") instanceof JsonString error) {
      throw new SignInRefusedException("token_error_" + UpstreamErrors.code(error.getString()));
    }
    if (answer.status() != 200 || !(json.get("access_token") instanceof JsonString access)) {
      throw new SignInRefusedException("token_status_" + answer.status());
    }
    String idToken = json.get("id_token") instanceof JsonString id ? id.getString() : null;
    return new Tokens(access.getString(), idToken);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
