package dev.portcullis.login;

import dev.portcullis.caller.Caller;
import dev.portcullis.session.SessionCookies;
import dev.portcullis.session.SessionRecord;
import dev.portcullis.session.SessionService;
import dev.portcullis.user.User;
import dev.portcullis.user.UserService;
import dev.portcullis.web.ClientInfo;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.TreeSet;

/**
 * Backs {@code /account} itself: who is signed in (profile, roles), the JSON API's CSRF token
 * (published in a meta element) and the page's formatting. Its forms have beans of their own, which
 * act through this one: {@link AccountSessionsBacking} (sign-ins), {@link AccountKeysBacking} (API
 * keys), {@link AccountAppsBacking}, {@link AccountLinksBacking} (linked upstream accounts) and
 * {@link AccountPasswordBacking}. Actions post through Faces forms (view state plus the SameSite
 * cookie protect them).
 *
 * <p>The page serves browser-session callers only ({@link Caller#browserSession}). The {@link
 * PageGuardFilter} sends everyone else to the login page, and each action checks again on its own
 * ({@link #signedIn()}), so a bearer token or an API key that reaches a postback changes nothing.
 */
@Named("account")
@RequestScoped
public class AccountBacking {

  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  @Inject FacesContext faces;
  @Inject UserService users;
  @Inject SessionService sessions;

  private Caller caller;
  private User user;
  private SessionRecord session;

  @PostConstruct
  void load() {
    var request = request();
    caller = Caller.browserSession(request).orElse(null);
    if (caller != null) {
      user = users.find(caller.userId()).orElse(null);
      session = SessionCookies.read(request).flatMap(sessions::validate).orElse(null);
    }
  }

  public User getUser() {
    return user;
  }

  public String getRoles() {
    return user == null ? "" : String.join(", ", new TreeSet<>(user.roles()));
  }

  public String getCsrfToken() {
    return session == null ? "" : session.csrfToken();
  }

  /** A time for display, to the minute, in UTC; "never" for none. */
  public String when(Instant instant) {
    return instant == null ? "never" : WHEN.format(instant);
  }

  /** The signed-in browser session's caller; null for anyone else. */
  Caller caller() {
    return caller;
  }

  /** The browser session this request's cookie names; null for anyone else. */
  SessionRecord session() {
    return session;
  }

  /** The signed-in user as this request read it; null for anyone else. */
  User user() {
    return user;
  }

  /**
   * This browser now holds a new session (a password change ended the old one, in the same
   * request): the rest of the page renders for it.
   */
  void continueAs(String cookieValue) {
    session = sessions.validate(cookieValue).orElse(null);
    if (session != null) {
      String id = session.id().toString();
      caller =
          new Caller(caller.userId(), caller.username(), caller.groups(), caller.method(), id, id);
    }
  }

  /**
   * Whether this request comes from a signed-in browser session, checked by every action on its own
   * whatever stood in front of it; anyone else is sent to the login page, as an anonymous visitor
   * of the page is, and the action does nothing.
   */
  boolean signedIn() {
    var request = request();
    if (caller != null && user != null && Caller.browserSession(request).isPresent()) {
      return true;
    }
    try {
      faces.getExternalContext().redirect(PageGuardFilter.signInLocation(request, "/account"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return false;
  }

  HttpServletRequest request() {
    return (HttpServletRequest) faces.getExternalContext().getRequest();
  }

  HttpServletResponse response() {
    return (HttpServletResponse) faces.getExternalContext().getResponse();
  }

  ClientInfo client() {
    return ClientInfo.of(request());
  }
}
