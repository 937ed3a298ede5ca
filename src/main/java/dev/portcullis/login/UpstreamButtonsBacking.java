package dev.portcullis.login;

import dev.portcullis.upstream.UpstreamProvider;
import dev.portcullis.upstream.UpstreamProviders;
import dev.portcullis.upstream.UpstreamSignIns;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The login page's "Sign in with …" buttons (SPEC 3.5, 3.7): one link per configured provider, in
 * the configured order, to {@code /login/oauth2/start/<id>}, which starts the sign-in. The page's
 * {@code next} travels along as {@code ?next=} only when it is a local target ({@link
 * SafeRedirects}), so a button never carries a target the password form would refuse. A plain
 * {@code GET} link: starting a sign-in changes nothing a forged request could abuse, and the start
 * endpoint binds the attempt to this browser itself.
 *
 * <p>The page's alert for a failed upstream sign-in ({@code ?upstream=<id>&error=<reason>}) is
 * {@link LoginBacking}'s, worded by {@link UpstreamMessages}.
 */
@Named("upstreamButtons")
@RequestScoped
public class UpstreamButtonsBacking {

  @Inject UpstreamProviders providers;
  @Inject LoginBacking login;
  @Inject FacesContext faces;

  private List<Button> buttons;

  /**
   * One button as the page renders it.
   *
   * @param id the provider id (letters and digits), for the element id {@code upstream-<id>}
   * @param label "Sign in with <display name>"
   * @param href the start endpoint, with the context path and the local {@code next}, if any
   */
  public record Button(String id, String label, String href) {}

  /** The buttons, in the configured order; empty when no provider is configured. */
  public List<Button> getButtons() {
    if (buttons == null) {
      buttons =
          buttons(
              providers.all(), faces.getExternalContext().getRequestContextPath(), login.getNext());
    }
    return buttons;
  }

  static List<Button> buttons(List<UpstreamProvider> providers, String contextPath, String next) {
    String query =
        localNext(next) ? "?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8) : "";
    return providers.stream()
        .map(
            p ->
                new Button(
                    p.id(),
                    "Sign in with " + p.displayName(),
                    contextPath + UpstreamSignIns.START_PATH + p.id() + query))
        .toList();
  }

  /** Whether {@code next} is a target the login would follow as it is. */
  static boolean localNext(String next) {
    return next != null && !next.isEmpty() && SafeRedirects.localTarget(next).equals(next);
  }
}
