package dev.portcullis.user;

import dev.portcullis.audit.AuditEventType;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditRecord;
import dev.portcullis.config.Settings;
import dev.portcullis.database.DatabaseFailures;
import dev.portcullis.problem.ErrorCode;
import dev.portcullis.problem.ProblemException;
import dev.portcullis.web.ClientInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.hibernate.Session;

/**
 * Imports users with password hashes from a legacy Jakarta EE realm ({@code POST
 * /api/v1/admin/users/import}).
 *
 * <p>The import is atomic: every row is checked first (username, e-mail, roles, hash format, no
 * duplicate within the request or with an existing user) and either all rows are written in one
 * transaction or none is, and the caller gets the list of rows that were refused and why. Nothing
 * is hashed: the legacy hash is stored as given ({@link LegacyPasswordHashes} checks its format)
 * and replaced by Argon2id at the user's first successful login. Imported users are active and have
 * the {@code user} role unless the row says otherwise. Thread-safe.
 */
@ApplicationScoped
public class UserImport {

  /** The most users one request may carry. */
  public static final int MAX_USERS = 10_000;

  private static final int FLUSH_EVERY = 500;
  private static final int QUERY_CHUNK = 500;

  @PersistenceContext EntityManager em;

  @Inject Settings settings;
  @Inject Clock clock;
  @Inject AuditLog audit;

  /** One row that was refused: its position in {@code users}, what it said, and why. */
  public record RowError(int index, String username, String code, String detail) {}

  /** A user that was written: its position in {@code users}, new id and username. */
  public record Imported(int index, UUID id, String username) {}

  /** What an import did: the users it wrote (none when any row was refused) and the refusals. */
  public record Result(
      List<Imported> imported, Map<PasswordHashScheme, Integer> schemes, List<RowError> errors) {

    public boolean succeeded() {
      return errors.isEmpty();
    }
  }

  private record Row(int index, String username, String email, Set<String> roles, String hash) {}

  /**
   * Imports {@code {"users":[{"username","email"?,"roles"?,"password_hash"}...]}}.
   *
   * @throws ProblemException 400 when the body is not that shape or holds no or too many users
   */
  @Transactional
  public Result importUsers(JsonObject body, String actor, ClientInfo client) {
    JsonValue users = body.get("users");
    if (!(users instanceof JsonArray array) || array.isEmpty()) {
      throw ProblemException.validation("users must be a non-empty array");
    }
    if (array.size() > MAX_USERS) {
      throw ProblemException.validation("at most " + MAX_USERS + " users per import request");
    }
    var errors = new ArrayList<RowError>();
    var rows = new ArrayList<Row>(array.size());
    for (int i = 0; i < array.size(); i++) {
      Row row = read(i, array.get(i), errors);
      if (row != null) {
        rows.add(row);
      }
    }
    refuseDuplicates(rows, errors);
    if (!errors.isEmpty()) {
      errors.sort((a, b) -> Integer.compare(a.index(), b.index()));
      audit.record(
          AuditRecord.failure(AuditEventType.USERS_IMPORTED, "INVALID_ROWS", null, client)
              .by(actor)
              .withDetail("rows=" + array.size() + " refused=" + errors.size()));
      return new Result(List.of(), Map.of(), List.copyOf(errors));
    }
    var schemes = new EnumMap<PasswordHashScheme, Integer>(PasswordHashScheme.class);
    var imported = write(rows, schemes);
    audit.record(
        AuditRecord.success(AuditEventType.USERS_IMPORTED, null, client)
            .by(actor)
            .withDetail("imported=" + rows.size() + " schemes=" + schemes));
    return new Result(imported, Map.copyOf(schemes), List.of());
  }

  private Row read(int index, JsonValue value, List<RowError> errors) {
    if (!(value instanceof JsonObject json)) {
      errors.add(new RowError(index, null, "INVALID_ROW", "each user must be a JSON object"));
      return null;
    }
    String typed = text(json, "username");
    if (typed == null) {
      errors.add(new RowError(index, null, "INVALID_USERNAME", "username must be a string"));
      return null;
    }
    try {
      String username = Usernames.validUsername(typed);
      String email = null;
      if (json.containsKey("email") && json.get("email") != JsonValue.NULL) {
        String typedEmail = text(json, "email");
        if (typedEmail == null) {
          throw ProblemException.validation("email must be a string or null");
        }
        email = Usernames.validEmail(typedEmail);
      }
      Set<String> roles = roles(json);
      String hash = text(json, "password_hash");
      String hashProblem = LegacyPasswordHashes.problemWith(hash);
      if (hashProblem != null) {
        errors.add(new RowError(index, typed, "INVALID_PASSWORD_HASH", hashProblem));
        return null;
      }
      return new Row(index, username, email, roles, hash);
    } catch (ProblemException e) {
      errors.add(new RowError(index, typed, "INVALID_USER", e.problem().detail()));
      return null;
    }
  }

  private Set<String> roles(JsonObject json) {
    JsonValue value = json.get("roles");
    if (value == null || value == JsonValue.NULL) {
      return Set.of("user");
    }
    if (!(value instanceof JsonArray array)) {
      throw ProblemException.validation("roles must be an array of strings");
    }
    var roles = new TreeSet<String>();
    for (JsonValue role : array) {
      if (!(role instanceof JsonString name) || !settings.knownRoles().contains(name.getString())) {
        throw ProblemException.validation("roles must be among " + settings.knownRoles());
      }
      roles.add(name.getString());
    }
    return roles.isEmpty() ? Set.of("user") : roles;
  }

  private void refuseDuplicates(List<Row> rows, List<RowError> errors) {
    var usernames = new HashMap<String, Row>();
    var emails = new HashMap<String, Row>();
    var refused = new HashSet<Row>();
    for (Row row : rows) {
      Row earlier = usernames.putIfAbsent(Usernames.key(row.username()), row);
      if (earlier != null) {
        errors.add(duplicate(row, "username", "users[" + earlier.index() + "]"));
        refused.add(row);
        continue;
      }
      if (row.email() != null) {
        earlier = emails.putIfAbsent(Usernames.key(row.email()), row);
        if (earlier != null) {
          errors.add(duplicate(row, "email", "users[" + earlier.index() + "]"));
          refused.add(row);
        }
      }
    }
    for (String taken : existing("usernameKey", usernames.keySet())) {
      Row row = usernames.get(taken);
      if (refused.add(row)) {
        errors.add(duplicate(row, "username", "an existing user"));
      }
    }
    for (String taken : existing("emailKey", emails.keySet())) {
      Row row = emails.get(taken);
      if (refused.add(row)) {
        errors.add(duplicate(row, "email", "an existing user"));
      }
    }
  }

  private static RowError duplicate(Row row, String field, String other) {
    return new RowError(row.index(), row.username(), "DUPLICATE", field + " is taken by " + other);
  }

  private List<String> existing(String field, Set<String> keys) {
    var all = new ArrayList<>(keys);
    var found = new ArrayList<String>();
    for (int from = 0; from < all.size(); from += QUERY_CHUNK) {
      found.addAll(
          em.createQuery(
                  "select u." + field + " from User u where u." + field + " in :keys", String.class)
              .setParameter("keys", all.subList(from, Math.min(all.size(), from + QUERY_CHUNK)))
              .getResultList());
    }
    return found;
  }

  private List<Imported> write(List<Row> rows, Map<PasswordHashScheme, Integer> schemes) {
    em.unwrap(Session.class).setJdbcBatchSize(FLUSH_EVERY);
    var now = clock.instant();
    var imported = new ArrayList<Imported>(rows.size());
    try {
      int pending = 0;
      for (Row row : rows) {
        var user = new User(row.username(), row.email(), row.roles(), now);
        user.setPassword(row.hash(), false, now);
        em.persist(user);
        imported.add(new Imported(row.index(), user.id(), row.username()));
        schemes.merge(PasswordHashScheme.of(row.hash()), 1, Integer::sum);
        if (++pending == FLUSH_EVERY) {
          em.flush();
          em.clear();
          pending = 0;
        }
      }
      em.flush();
      em.clear();
      return imported;
    } catch (PersistenceException e) {
      if (DatabaseFailures.isUnavailable(e)) {
        throw e;
      }
      // A user created concurrently with the same username or e-mail: the transaction rolls back.
      throw new ProblemException(
          ErrorCode.USER_EXISTS, "A user with one of those usernames or e-mails was just created");
    }
  }

  private static String text(JsonObject json, String name) {
    return json.get(name) instanceof JsonString s ? s.getString() : null;
  }
}
