package dev.portcullis.login;

import dev.portcullis.problem.ProblemException;
import dev.portcullis.upstream.UpstreamLink;
import dev.portcullis.upstream.UpstreamLinks;
import dev.portcullis.upstream.UpstreamProvider;
import dev.portcullis.upstream.UpstreamProviders;
import dev.portcullis.upstream.UpstreamSignIns;
import dev.portcullis.web.SecurityHeadersFilter;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The account page's "Linked accounts" (SPEC 3.5, 3.7): the user's links to upstream accounts
 * ({@link UpstreamLinks#of}), "Unlink" for each, and "Link <provider>" for each configured provider
 * not linked yet. Like the page's other actions, each one checks the browser session again first.
 *
 * <p>Linking is a Faces postback (same-origin, view state) whose action asks {@link
 * UpstreamSignIns#beginLink} where to send the browser — the provider's authorization endpoint, or
 * back to {@code /account} with an error — and redirects there; the provider's answer comes back
 * through the callback as {@code /account?linked=<id>} or {@code
 * /account?upstream=<id>&error=<reason>}, which this bean turns into the section's notice or alert
 * ({@link UpstreamMessages}). "Linked …" is shown only when the user really has a link through that
 * provider, so a crafted URL cannot make the page claim one.
 *
 * <p>A link shows the configured provider it belongs to: the one with its provider id and issuer,
 * else (an id renamed in the configuration) the one with its issuer, else none, and then the stored
 * provider id stands in for the name. Unlinking the user's last way to sign in is refused by {@link
 * UpstreamLinks#unlink} (409 {@code LAST_SIGN_IN_METHOD}), whose reason the alert shows.
 */
@Named("accountLinks")
@RequestScoped
public class AccountLinksBacking {

  static final String GONE = "That linked account is no longer there.";

  @Inject AccountBacking account;
  @Inject UpstreamLinks links;
  @Inject UpstreamProviders providers;
  @Inject UpstreamSignIns signIns;
  @Inject FacesContext faces;

  private List<LinkedAccount> linked;
  private String message;
  private String error;

  /**
   * One link as the page lists it.
   *
   * @param id the link's id (the unlink action's argument)
   * @param providerId the configured provider's id, or the stored one when none matches
   * @param provider the configured provider's display name, or the stored provider id
   * @param configured whether a configured provider matched
   * @param email the e-mail address the provider gave at the last sign-in, or null
   * @param linkedAt when the link was made
   * @param lastUsedAt when it was last used to sign in, or null
   */
  public record LinkedAccount(
      String id,
      String providerId,
      String provider,
      boolean configured,
      String email,
      Instant linkedAt,
      Instant lastUsedAt) {}

  /** Reads the outcome of a link that came back through the callback (a {@code GET} only). */
  @PostConstruct
  void outcome() {
    if (account.caller() == null || faces.isPostback()) {
      return;
    }
    var parameters = faces.getExternalContext().getRequestParameterMap();
    String upstream = parameters.get("upstream");
    if (upstream != null) {
      error = failure(upstream, parameters.get("error"), providers.all());
    } else if (parameters.get("linked") != null) {
      message = success(parameters.get("linked"), getLinked());
    }
  }

  /** The alert for {@code ?upstream=<id>&error=<reason>}. */
  static String failure(String upstream, String reason, List<UpstreamProvider> configured) {
    return UpstreamMessages.linkFailed(
        configured.stream()
            .filter(p -> p.id().equals(upstream))
            .findFirst()
            .map(UpstreamProvider::displayName)
            .orElse(null),
        reason);
  }

  /**
   * The notice for {@code ?linked=<id>}: only when one of the user's links belongs to that
   * configured provider, else none.
   */
  static String success(String providerId, List<LinkedAccount> linked) {
    return linked.stream()
        .filter(l -> l.configured() && l.providerId().equals(providerId))
        .findFirst()
        .map(l -> UpstreamMessages.linked(l.provider()))
        .orElse(null);
  }

  /**
   * Before the page renders: while it shows "Link" buttons, its CSP {@code form-action} admits the
   * origins their posts end in (the providers' authorization endpoints: each issuer's origin, and
   * the discovered endpoint's once known), since Chromium applies {@code form-action} to the
   * redirect that answers the post. Nothing else is ever added.
   */
  public void beforeRender() {
    var providersShown = getLinkable();
    if (providersShown.isEmpty()) {
      return;
    }
    var sources =
        signIns.authorizationOrigins(providersShown).stream()
            .filter(AccountLinksBacking::isSource)
            .toList();
    account
        .response()
        .setHeader("Content-Security-Policy", SecurityHeadersFilter.policyWithFormTargets(sources));
  }

  /** Whether {@code origin} is a plain {@code scheme://host[:port]} CSP source. */
  static boolean isSource(String origin) {
    return origin.matches("https?://[A-Za-z0-9.\\-\\[\\]:]+");
  }

  /** Whether the section is shown: some provider is configured, or the user has links. */
  public boolean isShown() {
    return account.caller() != null && (!providers.all().isEmpty() || !getLinked().isEmpty());
  }

  /** The user's links, oldest first. */
  public List<LinkedAccount> getLinked() {
    if (linked == null) {
      linked =
          account.caller() == null
              ? List.of()
              : links.of(account.caller().userId()).stream().map(this::row).toList();
    }
    return linked;
  }

  /** The configured providers the user has no link through, in the configured order. */
  public List<UpstreamProvider> getLinkable() {
    return account.caller() == null ? List.of() : linkable(providers.all(), getLinked());
  }

  /** Removes one of the user's links, unless it is their last way to sign in. */
  public void unlink(String linkId) {
    if (!account.signedIn()) {
      return;
    }
    var userId = account.caller().userId();
    try {
      links.unlink(userId, linkId(linkId), userId.toString(), account.client());
      message = "Linked account removed.";
    } catch (ProblemException e) {
      error = unlinkRefused(e);
    }
    linked = null;
  }

  /**
   * Starts linking {@code providerId}: sends the browser where {@link UpstreamSignIns#beginLink}
   * says (the provider, or back to this page with an error).
   */
  public void link(String providerId) throws IOException {
    if (!account.signedIn()) {
      return;
    }
    var provider = providers.find(providerId);
    if (provider.isEmpty() || account.session() == null) {
      error = UpstreamMessages.linkFailed(null, "failed");
      return;
    }
    var request = account.request();
    URI target = signIns.beginLink(provider.get(), account.session(), request, account.response());
    faces
        .getExternalContext()
        .redirect(location(request.getContextPath(), target, provider.get().id()));
  }

  public String getMessage() {
    return message;
  }

  public String getError() {
    return error;
  }

  private LinkedAccount row(UpstreamLink link) {
    return row(
        link.id(),
        link.providerId(),
        link.issuer(),
        link.email(),
        link.linkedAt(),
        link.lastUsedAt(),
        providers.all());
  }

  static LinkedAccount row(
      UUID id,
      String providerId,
      String issuer,
      String email,
      Instant linkedAt,
      Instant lastUsedAt,
      List<UpstreamProvider> configured) {
    var provider = providerOf(providerId, issuer, configured);
    return new LinkedAccount(
        id.toString(),
        provider.map(UpstreamProvider::id).orElse(providerId),
        provider.map(UpstreamProvider::displayName).orElse(providerId),
        provider.isPresent(),
        email,
        linkedAt,
        lastUsedAt);
  }

  /** The configured provider a link belongs to: same id and issuer, else same issuer. */
  static Optional<UpstreamProvider> providerOf(
      String providerId, String issuer, List<UpstreamProvider> configured) {
    return configured.stream()
        .filter(p -> p.id().equals(providerId) && p.issuer().equals(issuer))
        .findFirst()
        .or(() -> configured.stream().filter(p -> p.issuer().equals(issuer)).findFirst());
  }

  static List<UpstreamProvider> linkable(
      List<UpstreamProvider> configured, List<LinkedAccount> linked) {
    Set<String> taken =
        linked.stream()
            .filter(LinkedAccount::configured)
            .map(LinkedAccount::providerId)
            .collect(Collectors.toSet());
    return configured.stream().filter(p -> !taken.contains(p.id())).toList();
  }

  /** What the alert says when an unlink is refused. */
  static String unlinkRefused(ProblemException e) {
    return switch (e.code()) {
      case NOT_FOUND -> GONE;
      default -> sentence(e.problem().detail());
    };
  }

  /**
   * Where to send the browser for {@code target}: an absolute {@code http(s)} URI as it is (the
   * provider), a path of this site under the context root; anything else back to this page with the
   * generic link error.
   */
  static String location(String contextPath, URI target, String providerId) {
    if (target != null && target.isAbsolute()) {
      String scheme = target.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("https") || scheme.equals("http")) && target.getRawAuthority() != null) {
        return target.toString();
      }
    } else if (target != null
        && target.getRawAuthority() == null
        && target.getRawPath() != null
        && target.getRawPath().startsWith("/")
        && !target.getRawPath().startsWith("//")) {
      return contextPath + target;
    }
    return contextPath + "/account?upstream=" + providerId + "&error=failed";
  }

  private static UUID linkId(String value) {
    try {
      return value == null ? null : UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String sentence(String detail) {
    if (detail == null || detail.isBlank()) {
      return "The account could not be unlinked.";
    }
    String text = Character.toUpperCase(detail.charAt(0)) + detail.substring(1);
    return text.endsWith(".") ? text : text + ".";
  }
}
