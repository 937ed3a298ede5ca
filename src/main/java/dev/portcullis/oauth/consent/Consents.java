package dev.portcullis.oauth.consent;

import dev.portcullis.web.ClientInfo;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.UUID;

/** Placeholder for the consent store written in parallel (branch pages); replaced at merge. */
@ApplicationScoped
public class Consents {

  public boolean covers(UUID userId, String clientId, Set<String> scopes) {
    return false;
  }

  public void grant(UUID userId, String clientId, Set<String> scopes, ClientInfo client) {}
}
