package dev.portcullis.oauth.client;

import dev.portcullis.audit.AuditEventType;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.caller.Caller;
import dev.portcullis.cluster.Change;
import dev.portcullis.cluster.ChangeKind;
import dev.portcullis.config.InvalidSettingException;
import dev.portcullis.config.Settings;
import dev.portcullis.database.DatabaseFailures;
import dev.portcullis.problem.ErrorCode;
import dev.portcullis.problem.ProblemException;
import dev.portcullis.web.ClientInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;

/**
 * Registers, changes, deletes and re-keys OAuth clients — for the admin API ({@link
 * AdminClientResource}) and the clients file ({@link ClientsFile}) — and audits every change
 * ({@code CLIENT_CREATED}, {@code CLIENT_UPDATED}, {@code CLIENT_DELETED}, {@code
 * CLIENT_SECRET_ROTATED}).
 *
 * <p>Every change announces the client's id on the {@link dev.portcullis.cluster.ChangeFeed} in its
 * transaction, so {@link ClientRegistry}'s caches on every node drop it; a deletion also fires
 * {@link ClientRemoved} first, in the same transaction, so what was issued to the client is revoked
 * with it. Through the API: the caller must not be an API key ({@link
 * Caller#requireCredentialManager()}, 403: a client is a credential); a client's {@code roles} are
 * authority handed to whoever holds its secret, so they must lie within the caller's own (403
 * {@code INSUFFICIENT_SCOPE}, for a registration, a change and a rotation alike); clients from the
 * file are read-only (409 {@code CLIENT_READ_ONLY}). Thread-safe.
 */
@ApplicationScoped
public class ClientService {

  private static final Logger LOG = Logger.getLogger(ClientService.class.getName());

  @PersistenceContext EntityManager em;

  @Inject Settings settings;
  @Inject Clock clock;
  @Inject AuditLog audit;
  @Inject Event<Change> changes;
  @Inject Event<ClientRemoved> removals;

  @Transactional
  public List<OAuthClient> list() {
    return em.createNamedQuery(OAuthClient.ALL, OAuthClient.class).getResultList();
  }

  /** The client {@code clientId} names; 404 {@code NOT_FOUND} if none. */
  @Transactional
  public OAuthClient get(String clientId) {
    var client = ClientRequests.isClientId(clientId) ? em.find(OAuthClient.class, clientId) : null;
    if (client == null) {
      throw ProblemException.notFound("Client");
    }
    return client;
  }

  /**
   * Registers {@code registration} (an API client) on behalf of {@code caller}; a confidential
   * client gets a new secret, returned this once.
   *
   * @throws ProblemException 409 {@code CLIENT_EXISTS}, 403 {@code FORBIDDEN} or {@code
   *     INSUFFICIENT_SCOPE}
   */
  @Transactional
  public CreatedClient create(RegisteredClient registration, Caller caller, ClientInfo from) {
    String actor = actor(caller, registration.roles());
    if (em.find(OAuthClient.class, registration.clientId()) != null) {
      throw exists(registration.clientId());
    }
    String secret = registration.isPublic() ? null : ClientSecrets.generate();
    var client =
        new OAuthClient(
            registration, secret == null ? null : ClientSecrets.hash(secret), clock.instant());
    try {
      em.persist(client);
      em.flush();
    } catch (PersistenceException e) {
      if (DatabaseFailures.isUnavailable(e)) {
        throw e;
      }
      throw exists(registration.clientId()); // registered concurrently
    }
    announce(client.clientId());
    audit.record(
        AuditRecord.success(AuditEventType.CLIENT_CREATED, client.clientId(), from)
            .by(actor)
            .withDetail(describe(registration)));
    return new CreatedClient(client, secret);
  }

  /**
   * Replaces the registration of API client {@code clientId} with {@code registration}; its secret
   * stays. A public client stays public and a confidential one confidential (400).
   *
   * @throws ProblemException 404, 409 {@code CLIENT_READ_ONLY}, 400, 403
   */
  @Transactional
  public OAuthClient update(
      String clientId, RegisteredClient registration, Caller caller, ClientInfo from) {
    String actor = actor(caller, registration.roles());
    var client = writable(clientId);
    var before = client.registered();
    if (before.isPublic() != registration.isPublic()) {
      throw ClientRequests.kindCannotChange();
    }
    client.replace(registration, client.secretHash(), clock.instant());
    em.flush();
    announce(clientId);
    audit.record(
        AuditRecord.success(AuditEventType.CLIENT_UPDATED, clientId, from)
            .by(actor)
            .withDetail("changed=" + changedFields(before, registration)));
    return client;
  }

  /**
   * Deletes API client {@code clientId}: {@link ClientRemoved} first, then the row.
   *
   * @throws ProblemException 404, 409 {@code CLIENT_READ_ONLY}, 403
   */
  @Transactional
  public void delete(String clientId, Caller caller, ClientInfo from) {
    String actor = actor(caller, Set.of());
    var client = writable(clientId);
    remove(client);
    audit.record(AuditRecord.success(AuditEventType.CLIENT_DELETED, clientId, from).by(actor));
  }

  /**
   * Gives confidential API client {@code clientId} a new secret, returned this once; the previous
   * one stops working when this commits (no grace period: an administrator rotates a secret that
   * may have leaked).
   *
   * @throws ProblemException 404, 409 {@code CLIENT_READ_ONLY}, 400 for a public client, 403
   */
  @Transactional
  public CreatedClient rotateSecret(String clientId, Caller caller, ClientInfo from) {
    var client = writable(clientId);
    String actor = actor(caller, client.registered().roles());
    if (client.secretHash() == null) {
      throw ProblemException.validation(
          "token_endpoint_auth_method is none: a public client has no secret to rotate");
    }
    String secret = ClientSecrets.generate();
    client.newSecret(ClientSecrets.hash(secret), clock.instant());
    em.flush();
    announce(clientId);
    audit.record(
        AuditRecord.success(AuditEventType.CLIENT_SECRET_ROTATED, clientId, from).by(actor));
    return new CreatedClient(client, secret);
  }

  /**
   * Makes the stored file clients match {@code entries}, in one transaction: creates the new ones,
   * updates those that differ, deletes those no longer listed (firing {@link ClientRemoved}); a
   * client that is the same as before is not touched (so a restart audits nothing). Audited with
   * the actor {@code system}.
   *
   * @throws InvalidSettingException if an entry names a client registered through the API
   */
  @Transactional
  public void applyFile(List<FileClient> entries) {
    var wanted = new LinkedHashMap<String, FileClient>();
    entries.forEach(entry -> wanted.put(entry.client().clientId(), entry));
    for (String id : wanted.keySet()) {
      var stored = em.find(OAuthClient.class, id);
      if (stored != null && !stored.fromFile()) {
        throw new InvalidSettingException(
            "portcullis.clients-file names client \""
                + id
                + "\", which is registered through the admin API: delete it there or give the"
                + " file's client another client_id");
      }
    }
    Instant now = clock.instant();
    int created = 0;
    int updated = 0;
    int deleted = 0;
    for (var stored :
        em.createNamedQuery(OAuthClient.OF_SOURCE, OAuthClient.class)
            .setParameter("source", OAuthClient.SOURCE_FILE)
            .getResultList()) {
      if (!wanted.containsKey(stored.clientId())) {
        remove(stored);
        record(AuditEventType.CLIENT_DELETED, stored.clientId(), "source=file");
        deleted++;
      }
    }
    for (var entry : wanted.values()) {
      var registration = entry.client();
      var stored = em.find(OAuthClient.class, registration.clientId());
      if (stored == null) {
        em.persist(new OAuthClient(registration, entry.secretHash(), now));
        announce(registration.clientId());
        record(AuditEventType.CLIENT_CREATED, registration.clientId(), describe(registration));
        created++;
        continue;
      }
      var before = stored.registered();
      boolean sameSecret = java.util.Objects.equals(stored.secretHash(), entry.secretHash());
      if (before.equals(registration) && sameSecret) {
        continue;
      }
      stored.replace(registration, entry.secretHash(), now);
      announce(registration.clientId());
      if (!before.equals(registration)) {
        record(
            AuditEventType.CLIENT_UPDATED,
            registration.clientId(),
            "source=file changed=" + changedFields(before, registration));
      }
      if (!sameSecret) {
        record(AuditEventType.CLIENT_SECRET_ROTATED, registration.clientId(), "source=file");
      }
      updated++;
    }
    em.flush();
    LOG.info(
        "Clients file applied: "
            + wanted.size()
            + " clients ("
            + created
            + " created, "
            + updated
            + " changed, "
            + deleted
            + " deleted)");
  }

  /** The acting user's id, if {@code caller} may manage credentials and holds {@code roles}. */
  private String actor(Caller caller, Set<String> roles) {
    caller.requireCredentialManager();
    var grantable = caller.authorityOver(settings.knownRoles());
    if (!grantable.containsAll(roles)) {
      var beyond = new TreeSet<>(roles);
      beyond.removeAll(grantable);
      throw new ProblemException(
          ErrorCode.INSUFFICIENT_SCOPE,
          "A client cannot carry a role beyond the caller's own authority: " + beyond);
    }
    return caller.userId().toString();
  }

  private OAuthClient writable(String clientId) {
    var client = get(clientId);
    if (client.fromFile()) {
      throw readOnly();
    }
    return client;
  }

  /** 409 {@code CLIENT_READ_ONLY}: the client comes from the clients file. */
  static ProblemException readOnly() {
    return new ProblemException(
        ErrorCode.CLIENT_READ_ONLY,
        "This client comes from the clients file (PORTCULLIS_CLIENTS_FILE); change it there");
  }

  private void remove(OAuthClient client) {
    removals.fire(new ClientRemoved(client.clientId()));
    em.remove(client);
    em.flush();
    announce(client.clientId());
  }

  private void announce(String clientId) {
    changes.fire(Change.of(ChangeKind.OAUTH_CLIENT, clientId));
  }

  private void record(AuditEventType type, String clientId, String detail) {
    audit.record(
        AuditRecord.success(type, clientId, ClientInfo.SYSTEM).by("system").withDetail(detail));
  }

  private static ProblemException exists(String clientId) {
    return new ProblemException(
        ErrorCode.CLIENT_EXISTS, "A client with client_id " + clientId + " exists");
  }

  /** The non-secret facts of a registration, for its audit event. */
  static String describe(RegisteredClient c) {
    return "source="
        + (c.fromFile() ? OAuthClient.SOURCE_FILE : OAuthClient.SOURCE_API)
        + " method="
        + c.authMethod().wireName()
        + " grants="
        + new TreeSet<>(c.grantTypes())
        + " scopes="
        + new TreeSet<>(c.scopes())
        + " roles="
        + new TreeSet<>(c.roles())
        + " redirect_uris="
        + c.redirectUris().size()
        + " require_pkce="
        + c.requirePkce();
  }

  /** The names of the fields in which {@code after} differs from {@code before}. */
  static List<String> changedFields(RegisteredClient before, RegisteredClient after) {
    var changed = new ArrayList<String>();
    diff(changed, "name", before.name(), after.name());
    diff(changed, "redirect_uris", before.redirectUris(), after.redirectUris());
    diff(
        changed,
        "post_logout_redirect_uris",
        before.postLogoutRedirectUris(),
        after.postLogoutRedirectUris());
    diff(changed, "grant_types", before.grantTypes(), after.grantTypes());
    diff(changed, "token_endpoint_auth_method", before.authMethod(), after.authMethod());
    diff(changed, "scopes", before.scopes(), after.scopes());
    diff(changed, "require_pkce", before.requirePkce(), after.requirePkce());
    diff(changed, "consent", before.consentRequired(), after.consentRequired());
    diff(changed, "access_token_profile", before.accessTokenProfile(), after.accessTokenProfile());
    diff(changed, "roles", before.roles(), after.roles());
    diff(changed, "access_token_ttl", before.accessTokenTtl(), after.accessTokenTtl());
    diff(changed, "refresh_token_ttl", before.refreshTokenTtl(), after.refreshTokenTtl());
    return changed;
  }

  private static void diff(List<String> changed, String field, Object before, Object after) {
    if (!before.equals(after)) {
      changed.add(field);
    }
  }
}
