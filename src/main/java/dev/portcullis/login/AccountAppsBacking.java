package dev.portcullis.login;

import dev.portcullis.oauth.client.ClientRegistry;
import dev.portcullis.oauth.consent.Consent;
import dev.portcullis.oauth.consent.Consents;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The account page's "Apps with access": the OAuth clients the user approved on the consent page
 * ({@link Consents#of}), each with its name (the client id for a client no longer registered), the
 * approved scopes in words ({@link ScopeDescriptions}) and the date of the first approval, and
 * "Revoke", which withdraws the consent ({@link Consents#revoke}, which ends the client's tokens
 * for the user). Like the page's other actions, revoking checks the browser session again first.
 */
@Named("accountApps")
@RequestScoped
public class AccountAppsBacking {

  @Inject AccountBacking account;
  @Inject Consents consents;
  @Inject ClientRegistry clients;

  private List<App> apps;
  private String message;

  /** One approved client as the page lists it. */
  public record App(
      String clientId, String name, String scopes, String scopeNames, Instant grantedAt) {}

  public List<App> getApps() {
    if (apps == null) {
      apps =
          account.caller() == null
              ? List.of()
              : consents.of(account.caller().userId()).stream().map(this::app).toList();
    }
    return apps;
  }

  /** Withdraws the consent given to {@code clientId}. */
  public void revoke(String clientId) {
    if (!account.signedIn()) {
      return;
    }
    boolean revoked = consents.revoke(account.caller().userId(), clientId, account.client());
    apps = null;
    message = revoked ? "Access withdrawn." : "That app had no access.";
  }

  public String getMessage() {
    return message;
  }

  private App app(Consent consent) {
    String name =
        clients
            .find(consent.clientId())
            .map(ConsentBacking::displayName)
            .orElse(consent.clientId());
    return new App(
        consent.clientId(),
        name,
        describe(consent),
        String.join(" ", consent.scopes()),
        consent.grantedAt());
  }

  static String describe(Consent consent) {
    return consent.scopes().isEmpty()
        ? "Sign-in only"
        : consent.scopes().stream()
            .map(ScopeDescriptions::describe)
            .collect(Collectors.joining(", "));
  }
}
