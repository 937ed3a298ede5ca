package dev.portcullis.upstream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.net.http.HttpRequest;

/**
 * Who signed in at GitHub (which has no ID token): {@code GET /user} gives the stable numeric
 * {@code id} (the subject; a {@code login} can be renamed and reused), the login and name; {@code
 * GET /user/emails} the primary address and whether GitHub verified it. Both with the access token
 * as a bearer token in the header. Thread-safe.
 */
@ApplicationScoped
public class GitHubAccounts {

  @Inject UpstreamHttp http;

  UpstreamIdentity identity(
      UpstreamProvider provider, ProviderEndpoints endpoints, String accessToken) {
    var user =
        http.exchange(authorized(HttpRequest.newBuilder(endpoints.user()), accessToken), "user");
    if (user.status() != 200 || !(user.json() instanceof JsonObject json)) {
      throw new SignInRefusedException("user_status_" + user.status());
    }
    if (!(json.get("id") instanceof JsonNumber id) || !id.isIntegral()) {
      throw new SignInRefusedException("user_without_id");
    }
    String email = null;
    boolean verified = false;
    var emails =
        http.exchange(authorized(HttpRequest.newBuilder(endpoints.emails()), accessToken), "user");
    if (emails.status() == 200 && emails.json() instanceof JsonArray list) {
      for (JsonValue entry : list) {
        if (entry instanceof JsonObject address
            && address.getBoolean("primary", false)
            && address.get("email") instanceof JsonString value) {
          email = value.getString();
          verified = address.getBoolean("verified", false);
        }
      }
    }
    return new UpstreamIdentity(
        provider.issuer(),
        id.bigIntegerValueExact().toString(),
        email,
        verified,
        json.get("login") instanceof JsonString login ? login.getString() : null,
        json.get("name") instanceof JsonString name ? name.getString() : null);
  }

  private static HttpRequest.Builder authorized(HttpRequest.Builder request, String token) {
    return request
        .header("Authorization", "Bearer " + token)
        .header("X-GitHub-Api-Version", "2022-11-28")
        .GET();
  }
}
