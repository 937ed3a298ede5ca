package dev.portcullis.authentication;

import dev.portcullis.audit.Refusals;
import dev.portcullis.caller.Caller;
import dev.portcullis.caller.PortcullisPrincipal;
import dev.portcullis.credential.AmbiguousCredentialException;
import dev.portcullis.credential.CredentialReader;
import dev.portcullis.credential.PresentedCredential;
import dev.portcullis.credential.Rejection;
import dev.portcullis.database.DatabaseFailures;
import dev.portcullis.logging.EscapedFailure;
import dev.portcullis.web.ClientInfo;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStoreHandler;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one authentication mechanism of the application (SPEC 3.2).
 *
 * <p>It reads as a decision table: collect the credential from the ordered {@link
 * CredentialReader}s; none → do nothing (the resource decides; see {@link RolesAllowedFilter});
 * more than one → 400; validate it through the {@link IdentityStoreHandler}; valid → publish the
 * {@link Caller} and notify the container; invalid → 401 with an RFC 6750 challenge (503 if the
 * store could not be reached). It parses nothing and touches no database itself. A 429 (too many
 * failed credentials from this client) is audited here, where it is answered ({@link Refusals}).
 */
@ApplicationScoped
public class PortcullisAuthenticationMechanism implements HttpAuthenticationMechanism {

  private static final Logger LOG =
      Logger.getLogger(PortcullisAuthenticationMechanism.class.getName());

  @Inject @Any Instance<CredentialReader> readerBeans;

  @Inject IdentityStoreHandler identityStores;

  @Inject Refusals refusals;

  private List<CredentialReader> readers;

  @PostConstruct
  void orderReaders() {
    var ordered = new ArrayList<CredentialReader>();
    readerBeans.forEach(ordered::add);
    ordered.sort(Comparator.comparingInt(CredentialReader::order));
    readers = List.copyOf(ordered);
  }

  @Override
  public AuthenticationStatus validateRequest(
      HttpServletRequest request, HttpServletResponse response, HttpMessageContext context) {
    List<PresentedCredential> credentials;
    try {
      credentials = readers.stream().flatMap(r -> r.read(request).stream()).toList();
    } catch (AmbiguousCredentialException e) {
      Challenges.ambiguous(response);
      return AuthenticationStatus.SEND_FAILURE;
    }
    if (credentials.isEmpty()) {
      // Anonymous: protected REST resources answer 401 through RolesAllowedFilter. Writing a
      // challenge here would collide with the resource's own response when the container
      // re-enters the mechanism through HttpServletRequest#authenticate (Payara does for
      // @RolesAllowed CDI beans).
      return context.doNothing();
    }
    if (credentials.size() > 1) {
      Challenges.ambiguous(response);
      return AuthenticationStatus.SEND_FAILURE;
    }
    var credential = credentials.get(0);
    CredentialValidationResult result;
    try {
      result = identityStores.validate(credential);
    } catch (RuntimeException e) {
      if (!DatabaseFailures.isUnavailable(e)) {
        LOG.log(Level.SEVERE, "Credential validation failed unexpectedly", EscapedFailure.of(e));
      }
      credential.reject(Rejection.unavailable());
      result = CredentialValidationResult.INVALID_RESULT;
    }
    if (result.getStatus() == CredentialValidationResult.Status.VALID
        && result.getCallerPrincipal() instanceof PortcullisPrincipal principal) {
      request.setAttribute(Caller.ATTRIBUTE, principal.caller());
      return context.notifyContainerAboutLogin(result);
    }
    LOG.fine(() -> "Credential refused: " + credential.rejection().code());
    if (credential.rejection().status() == 429) {
      refusals.rateLimited(
          ClientInfo.of(request),
          "AUTHENTICATION",
          credential.getClass().getSimpleName().replace("Credential", ""));
    }
    if (credential.tolerateRejection(request, response)) {
      return context.doNothing();
    }
    Challenges.rejected(response, credential.rejection(), credential.challengeScheme());
    return AuthenticationStatus.SEND_FAILURE;
  }
}
