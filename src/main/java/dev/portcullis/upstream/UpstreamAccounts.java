package dev.portcullis.upstream;

import dev.portcullis.problem.ProblemException;
import dev.portcullis.user.UserService;
import dev.portcullis.web.ClientInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.ArrayList;
import java.util.UUID;

/**
 * Finds or makes the local account of an upstream identity (SPEC 3.7), in one transaction: the link
 * of (issuer, subject) names it; without one, a provider with provisioning {@code on} creates an
 * account and its link together (a provider with {@code _ALLOWED_DOMAINS} only for a verified
 * address in those domains), and one with provisioning {@code off} refuses. An account is never
 * found by e-mail: a verified address already on a local account refuses provisioning ({@code
 * email_in_use}), the owner links the provider from the account page instead. A provisioned account
 * keeps the address only when the provider verified it. Thread-safe.
 */
@ApplicationScoped
public class UpstreamAccounts {

  @Inject UpstreamLinks links;
  @Inject UserService users;
  @Inject Clock clock;

  /** The local user this identity signs in as. */
  @Transactional
  UUID signIn(UpstreamProvider provider, UpstreamIdentity identity, ClientInfo client) {
    var link = links.find(identity.issuer(), identity.subject());
    if (link.isPresent()) {
      var user =
          users
              .find(link.get().userId())
              .orElseThrow(() -> new SignInRefusedException("user_gone"));
      if (!user.isActive()) {
        throw new SignInRefusedException("user_disabled");
      }
      link.get().used(identity, clock.instant());
      return user.id();
    }
    if (!provider.provisioning()) {
      throw new SignInRefusedException("not_linked");
    }
    if (!provider.allowedDomains().isEmpty()
        && !(identity.emailVerified() && provider.allowsDomainOf(identity.email()))) {
      throw new SignInRefusedException("domain_not_allowed");
    }
    var candidates = new ArrayList<String>();
    candidates.add(identity.preferredUsername());
    if (identity.email() != null && identity.email().indexOf('@') > 0) {
      candidates.add(identity.email().substring(0, identity.email().indexOf('@')));
    }
    candidates.add(provider.id() + "-" + identity.subject());
    try {
      var user =
          users.createExternal(
              candidates,
              identity.emailVerified() ? identity.emailForDisplay() : null,
              provider.defaultRoles(),
              provider.authMethod(),
              client);
      links.link(user.id(), provider, identity, client);
      return user.id();
    } catch (ProblemException e) {
      throw new SignInRefusedException("email_in_use");
    } catch (PersistenceException e) {
      throw new SignInRefusedException("link_conflict");
    }
  }

  /**
   * Links this identity to {@code userId} (the account page's "Link"): nothing to do when it is
   * already linked to them.
   *
   * @throws SignInRefusedException {@code taken} when it is linked to another account
   */
  @Transactional
  void link(UUID userId, UpstreamProvider provider, UpstreamIdentity identity, ClientInfo client) {
    var existing = links.find(identity.issuer(), identity.subject());
    if (existing.isPresent()) {
      if (!existing.get().userId().equals(userId)) {
        throw new SignInRefusedException(TAKEN);
      }
      existing.get().used(identity, clock.instant());
      return;
    }
    try {
      links.link(userId, provider, identity, client);
    } catch (PersistenceException e) {
      throw new SignInRefusedException(TAKEN);
    }
  }

  static final String TAKEN = "taken";
}
