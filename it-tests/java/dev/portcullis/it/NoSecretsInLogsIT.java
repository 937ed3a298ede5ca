package dev.portcullis.it;

import static dev.portcullis.it.Api.bearer;
import static dev.portcullis.it.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A full scenario — login, refresh, reuse, logout, API keys, browser session, failures — then every
 * line the server logged and every body it answered is scanned for any password, token, key, cookie
 * value or {@code Authorization} header value used: none may appear (SECURITY.md "Logging and
 * audit").
 */
@ExtendWith(SharedServer.class)
class NoSecretsInLogsIT {

  @Test
  void noSecretReachesALogLineOrAnErrorBody(Api api) throws IOException {
    var secrets = new ArrayList<String>();
    var bodies = new ArrayList<Api.Reply>();
    String password = "Secret-Canary-" + PortcullisServer.random(9).replaceAll("[^A-Za-z0-9]", "");
    String name = unique("canary");
    api.createUser(name, password, "user");
    secrets.add(password);

    var tokens = api.login(name, password);
    String access = tokens.getString("access_token");
    String refresh = tokens.getString("refresh_token");
    secrets.addAll(List.of(access, refresh));
    bodies.add(api.get("/api/v1/me", "Authorization", bearer(access)));

    String wrongPassword =
        "Wrong-Canary-" + PortcullisServer.random(9).replaceAll("[^A-Za-z0-9]", "");
    secrets.add(wrongPassword);
    bodies.add(api.post("/api/v1/auth/login", Api.credentials(name, wrongPassword)));
    bodies.add(api.post("/api/v1/auth/login", Api.credentials(unique("ghost"), wrongPassword)));

    var refreshed = api.post("/api/v1/auth/refresh", "{\"refresh_token\":\"" + refresh + "\"}");
    secrets.add(refreshed.json().getString("access_token"));
    secrets.add(refreshed.json().getString("refresh_token"));
    bodies.add(api.post("/api/v1/auth/refresh", "{\"refresh_token\":\"" + refresh + "\"}"));

    String fresh = api.login(name, password).getString("access_token");
    secrets.add(fresh);
    var key =
        api.post(
            "/api/v1/keys",
            "{\"name\":\"canary\",\"scopes\":[\"user\"]}",
            "Authorization",
            bearer(fresh));
    String apiKey = key.json().getString("key");
    secrets.add(apiKey);
    bodies.add(api.get("/api/v1/me", "X-API-Key", apiKey));
    var rotated =
        api.post(
            "/api/v1/keys/" + key.json().getString("id") + "/rotate",
            "{\"grace_seconds\":0}",
            "Authorization",
            bearer(fresh));
    secrets.add(rotated.json().getString("key"));
    bodies.add(api.get("/api/v1/me", "X-API-Key", apiKey));
    String forged = apiKey.substring(0, apiKey.length() - 8) + "AAAAAAAA";
    secrets.add(forged);
    bodies.add(api.get("/api/v1/me", "X-API-Key", forged));
    bodies.add(api.get("/api/v1/me?access_token=" + fresh));
    String forgedJwt = fresh.substring(0, fresh.length() - 10) + "AAAAAAAAAA";
    secrets.add(forgedJwt);
    bodies.add(api.get("/api/v1/me", "Authorization", bearer(forgedJwt)));

    String cookie = api.formLogin(name, password, "/account");
    secrets.add(cookie);
    bodies.add(api.get("/api/v1/me", "Cookie", "__Host-portcullis=" + cookie));
    bodies.add(
        api.post(
            "/api/v1/keys",
            "{\"name\":\"x\",\"scopes\":[\"user\"]}",
            "Cookie",
            "__Host-portcullis=" + cookie));
    bodies.add(
        api.send(
            HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/v1/auth/logout"))
                .POST(HttpRequest.BodyPublishers.noBody()),
            "Authorization",
            bearer(fresh)));
    bodies.add(api.get("/api/v1/me", "Authorization", bearer(fresh)));

    // the OAuth provider: client secret, code, tokens, failed client authentication, replay
    var flows = new OAuthFlows(api);
    var client = flows.confidential();
    secrets.add(client.secret());
    var pkce = OAuthFlows.Pkce.create();
    String oauthCookie = api.formLogin(name, password, "/account");
    secrets.add(oauthCookie);
    String code = flows.code(oauthCookie, OAuthFlows.codeRequest(client, pkce, "s", "n"));
    secrets.add(code);
    var granted = flows.redeem(client, code, pkce);
    secrets.add(granted.json().getString("access_token"));
    secrets.add(granted.json().getString("refresh_token"));
    secrets.add(granted.json().getString("id_token"));
    bodies.add(flows.redeem(client, code, pkce));
    String wrongSecret = "Wrong-Client-Secret-" + unique("x");
    secrets.add(wrongSecret);
    bodies.add(flows.redeem(new OAuthFlows.Client(client.id(), wrongSecret, null), code, pkce));
    bodies.add(
        flows.form(
            "/oauth2/introspect",
            java.util.Map.of("token", granted.json().getString("access_token")),
            "Authorization",
            client.basic()));
    bodies.add(
        api.get(
            "/oauth2/userinfo", "Authorization", bearer(granted.json().getString("access_token"))));

    for (var reply : bodies) {
      for (String secret : secrets) {
        assertThat(reply.body()).as("a response body").doesNotContain(secret);
      }
    }
    assumeTrue(Files.exists(api.server().logFile()), "the server's log is not on this machine");
    String log = Files.readString(api.server().logFile(), StandardCharsets.UTF_8);
    assertThat(log).contains("audit type=LOGIN");
    for (String secret : secrets) {
      assertThat(log).as("the server log").doesNotContain(secret);
      if (secret.length() > 40) {
        assertThat(log).as("the server log, by prefix").doesNotContain(secret.substring(0, 40));
      }
    }
  }
}
