package dev.portcullis.login;

import dev.portcullis.apikey.ApiKey;
import dev.portcullis.apikey.ApiKeyService;
import dev.portcullis.apikey.NewApiKey;
import dev.portcullis.caller.Caller;
import dev.portcullis.problem.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The account page's API keys form: the user's live keys, create (the key shown once), rotate and
 * revoke. The scopes offered for a new key are the session's own authority ({@link
 * Caller#authorityOver}); a forged scope in the postback is refused by {@link ApiKeyService#create}
 * as well.
 */
@Named("accountKeys")
@RequestScoped
public class AccountKeysBacking {

  @Inject AccountBacking account;
  @Inject ApiKeyService keys;

  private String keyName;
  private List<String> keyScopes = new ArrayList<>(List.of("user"));
  private String newKey;
  private String message;

  public List<ApiKey> getKeys() {
    if (account.caller() == null) {
      return List.of();
    }
    return keys.list(account.caller().userId()).stream()
        .filter(k -> k.revokedAt() == null)
        .toList();
  }

  /** The scopes a new key may carry: this session's authority over the user's current roles. */
  public Set<String> getAssignableScopes() {
    var caller = account.caller();
    return caller == null || account.user() == null
        ? Set.of()
        : caller.authorityOver(account.user().roles());
  }

  /** A key's scopes for display, e.g. "admin user". */
  public String scopesOf(ApiKey key) {
    return String.join(" ", new TreeSet<>(key.scopes()));
  }

  public void createKey() {
    if (!account.signedIn()) {
      return;
    }
    var caller = account.caller();
    try {
      var created =
          keys.create(
              caller.userId(),
              new NewApiKey(keyName, Set.copyOf(keyScopes), null, null),
              caller,
              account.client());
      newKey = created.value();
      keyName = null;
      message = "Copy the key now: it is shown only once.";
    } catch (ProblemException e) {
      message = e.problem().detail();
    }
  }

  public void rotateKey(String id) {
    if (!account.signedIn()) {
      return;
    }
    var caller = account.caller();
    try {
      newKey = keys.rotate(caller.userId(), id, null, caller, account.client()).value();
      message = "New key for this id; the previous one keeps working for the grace period.";
    } catch (ProblemException e) {
      message = e.problem().detail();
    }
  }

  public void revokeKey(String id) {
    if (!account.signedIn()) {
      return;
    }
    var caller = account.caller();
    try {
      keys.revoke(caller.userId(), id, caller, account.client());
      message = "Key revoked.";
    } catch (ProblemException e) {
      message = e.problem().detail();
    }
  }

  public String getKeyName() {
    return keyName;
  }

  public void setKeyName(String keyName) {
    this.keyName = keyName;
  }

  public List<String> getKeyScopes() {
    return keyScopes;
  }

  public void setKeyScopes(List<String> keyScopes) {
    this.keyScopes = keyScopes == null ? new ArrayList<>() : new ArrayList<>(keyScopes);
  }

  public String getNewKey() {
    return newKey;
  }

  public String getMessage() {
    return message;
  }
}
