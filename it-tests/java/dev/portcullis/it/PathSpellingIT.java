package dev.portcullis.it;

import static dev.portcullis.it.Api.bearer;
import static dev.portcullis.it.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 13, item 9: every spelling of a path gets the decision of its canonical form. Faces serves
 * only the extensionless pages — {@code /faces/*}, {@code *.xhtml}, {@code *.jsf}, {@code *.faces}
 * are 404, and percent-encoded or {@code ;param} spellings meet the same page guard — and the
 * HTTPS-only rule refuses {@code /%61pi/…} and {@code /api;x/…} over plain HTTP from beyond
 * loopback exactly as it refuses {@code /api/…}.
 */
@ExtendWith(SharedServer.class)
class PathSpellingIT {

  private static final String PASSWORD = "Spelling-Pass-1";

  /** Spellings of the account page that must never serve it to anything but a browser session. */
  private static final String[] ACCOUNT_SPELLINGS = {
    "/account",
    "/account.xhtml",
    "/faces/account",
    "/faces/account.xhtml",
    "/account.jsf",
    "/account.faces",
    "/%61ccount",
    "/account;x=1",
    "/%61ccount.jsf",
    "/account.jsf;x=1",
    "/"
  };

  /** Spellings Faces no longer serves at all. */
  private static final String[] FOREIGN_SPELLINGS = {
    "/account.xhtml",
    "/faces/account",
    "/faces/account.xhtml",
    "/account.jsf",
    "/account.faces",
    "/%61ccount.jsf",
    "/account.jsf;x=1",
    "/login.xhtml",
    "/login.jsf",
    "/faces/login",
    "/faces/login.xhtml",
    "/jakarta.faces.resource/faces.js.xhtml"
  };

  private static void assertNeverThePage(Api.Reply reply, String spelling) {
    assertThat(reply.status()).as("%s -> %s", spelling, reply.body()).isIn(303, 404);
    if (reply.status() == 303) {
      assertThat(reply.header("Location")).as(spelling).endsWith("/login?next=%2Faccount");
    }
    assertThat(reply.body()).as(spelling).doesNotContain("keys-form").doesNotContain("ViewState");
  }

  @Test
  void tokensKeysAndAnonymousVisitorsNeverGetTheAccountPageByAnySpelling(Api api) {
    String name = unique("spelling");
    api.createUser(name, PASSWORD, "user");
    String token = api.login(name, PASSWORD).getString("access_token");
    var key =
        api.post(
            "/api/v1/keys",
            "{\"name\":\"spelling\",\"scopes\":[\"user\"]}",
            "Authorization",
            bearer(token));
    assertThat(key.status()).isEqualTo(201);
    String apiKey = key.json().getString("key");
    for (String spelling : ACCOUNT_SPELLINGS) {
      assertNeverThePage(api.get(spelling), spelling);
    }
    for (String spelling : ACCOUNT_SPELLINGS) {
      assertNeverThePage(api.get(spelling, "Authorization", bearer(token)), spelling);
      assertNeverThePage(api.get(spelling, "X-API-Key", apiKey), spelling);
    }
  }

  @Test
  void facesServesOnlyTheExtensionlessPages(Api api) {
    String name = unique("spelling");
    api.createUser(name, PASSWORD, "user");
    String session = api.formLogin(name, PASSWORD, "/account");
    String cookie = "__Host-portcullis=" + session;
    for (String spelling : FOREIGN_SPELLINGS) {
      var anonymous = api.get(spelling);
      assertThat(anonymous.status()).as("%s -> %s", spelling, anonymous.body()).isEqualTo(404);
      assertThat(anonymous.body()).as(spelling).doesNotContain("ViewState");
      var signedIn = api.get(spelling, "Cookie", cookie);
      assertThat(signedIn.status()).as("%s with a session", spelling).isEqualTo(404);
    }
    for (String spelling : new String[] {"/account", "/%61ccount", "/account;x=1", "/"}) {
      var page = api.get(spelling, "Cookie", cookie);
      assertThat(page.status()).as(spelling).isEqualTo(200);
      assertThat(page.body()).as(spelling).contains(name);
    }
    for (String spelling : new String[] {"/login", "/%6cogin", "/login;x=1"}) {
      assertThat(api.get(spelling).status()).as(spelling).isEqualTo(200);
    }
  }

  @Test
  void theHttpsRuleHoldsForEverySpellingOfACredentialPath(Api api) {
    var address = nonLoopbackAddress();
    assumeTrue(address.isPresent(), "this machine has no non-loopback address");
    assumeTrue(System.getProperty("it.baseUrl", "").isBlank(), "needs the server on this machine");
    int port = URI.create(api.baseUrl()).getPort();
    String base = "http://" + address.get().getHostAddress() + ":" + port;
    String body = Api.credentials("nobody", "Not-The-Password-1");
    for (String spelling :
        new String[] {
          "/api/v1/auth/login",
          "/%61pi/v1/auth/login",
          "/api;x/v1/auth/login",
          "/api/v1/auth/logi%6e",
          "/%6cogin",
          "/login;x=1",
          "/%6cogout",
          "/logout;x"
        }) {
      var reply =
          api.send(
              HttpRequest.newBuilder(URI.create(base + spelling))
                  .POST(HttpRequest.BodyPublishers.ofString(body)),
              "Content-Type",
              "application/json");
      assertThat(reply.status()).as("%s -> %s", spelling, reply.body()).isEqualTo(400);
      assertThat(reply.code()).as(spelling).isEqualTo("HTTPS_REQUIRED");
    }
    var css = api.send(HttpRequest.newBuilder(URI.create(base + "/static/portcullis.css")).GET());
    assertThat(css.status()).as("plain HTTP is fine for what carries no credential").isEqualTo(200);
  }

  /** An IPv4 address of this machine other than loopback, which the server also listens on. */
  private static Optional<InetAddress> nonLoopbackAddress() {
    try {
      for (var nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp() || nic.isLoopback()) {
          continue;
        }
        for (var address : Collections.list(nic.getInetAddresses())) {
          if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
            return Optional.of(address);
          }
        }
      }
    } catch (SocketException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }
}
