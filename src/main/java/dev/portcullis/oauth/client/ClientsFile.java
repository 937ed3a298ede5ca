package dev.portcullis.oauth.client;

import dev.portcullis.config.InvalidSettingException;
import dev.portcullis.config.Settings;
import dev.portcullis.database.DatabaseFailures;
import dev.portcullis.logging.LogValues;
import dev.portcullis.problem.JsonFactory;
import dev.portcullis.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.TransactionalException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The clients file ({@code portcullis.clients-file}, environment {@code PORTCULLIS_CLIENTS_FILE}):
 * a JSON array of client registrations, the same objects the admin API takes, applied at every
 * start ({@link #apply()}, called by the server's life cycle after the schema migrations). The file
 * is the truth for the clients it holds: they are created or updated to match it, file clients it
 * no longer lists are deleted, and they are read-only in the API ({@code source: "file"}). Without
 * the setting, no client comes from a file (any stored earlier are deleted).
 *
 * <p>An entry differs from an API registration in two ways: {@code client_id} is required (it must
 * stay the same from one start to the next), and a confidential client's secret is given as exactly
 * one of
 *
 * <ul>
 *   <li>{@code client_secret_hash}: the SHA-256 of the secret in lower-case hex, as {@code printf
 *       %s "$SECRET" | sha256sum} prints it, so the file holds no secret; or
 *   <li>{@code client_secret_env}: the name of an environment variable holding the secret, at least
 *       {@value ClientSecrets#MIN_FILE_LENGTH} characters (the hash is fast, so the secret must be
 *       long and random: {@code openssl rand -base64 32}).
 * </ul>
 *
 * A public client ({@code "token_endpoint_auth_method": "none"}) names neither.
 *
 * <p>An invalid file stops the start with a message naming the entry (its position from 1 and its
 * {@code client_id}) and the field, never a secret; so does an entry whose {@code client_id} is
 * registered through the API. Thread-safe.
 */
@ApplicationScoped
public class ClientsFile {

  private static final String KEY = "portcullis.clients-file";
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

  @Inject Settings settings;
  @Inject ClientService clients;

  /**
   * Reads and applies the configured file (or deletes every file client when none is configured). A
   * node starting at the same time as another may lose the race to insert a client; it applies the
   * file once more.
   *
   * @throws InvalidSettingException if the file cannot be read, is invalid, or names an API client
   */
  public void apply() {
    var entries = read();
    try {
      clients.applyFile(entries);
    } catch (PersistenceException | TransactionalException e) {
      if (DatabaseFailures.isUnavailable(e)) {
        throw e;
      }
      clients.applyFile(entries);
    }
  }

  private List<FileClient> read() {
    if (settings.clientsFile().isEmpty()) {
      return List.of();
    }
    var path = settings.clientsFile().get();
    String text;
    try {
      text = Files.readString(path);
    } catch (IOException | RuntimeException e) {
      throw new InvalidSettingException(
          KEY + ": cannot read " + path + " (" + e.getClass().getSimpleName() + ")");
    }
    return parse(text, settings, System::getenv);
  }

  /**
   * The clients of a file's {@code text}, validated like registrations through the API; public for
   * tests and tools.
   *
   * @param env reads an environment variable ({@code System::getenv})
   * @throws InvalidSettingException naming the entry and field at fault
   */
  public static List<FileClient> parse(String text, Settings settings, UnaryOperator<String> env) {
    JsonArray array;
    try (var reader = JsonFactory.createStrictReader(new StringReader(text))) {
      array = reader.readArray();
    } catch (JsonException | IllegalStateException e) {
      throw new InvalidSettingException(
          KEY
              + " must hold a JSON array of client objects (it is not valid JSON, names a member"
              + " twice, or is not an array)");
    }
    var clients = new ArrayList<FileClient>();
    var positions = new HashMap<String, Integer>();
    for (int i = 0; i < array.size(); i++) {
      int position = i + 1;
      JsonValue value = array.get(i);
      if (!(value instanceof JsonObject entry)) {
        throw new InvalidSettingException(KEY + " entry " + position + " must be a JSON object");
      }
      String where = where(position, entry);
      RegisteredClient client;
      try {
        client = ClientRequests.fileEntry(entry, settings);
      } catch (ProblemException e) {
        // the detail may quote the file's text: no control character reaches the start-up log
        throw new InvalidSettingException(
            where + e.problem().detail().replaceAll("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]", "?"));
      }
      var earlier = positions.putIfAbsent(client.clientId(), position);
      if (earlier != null) {
        throw new InvalidSettingException(
            where + "client_id is already used by entry " + earlier + "; ids must be unique");
      }
      clients.add(new FileClient(client, secretHash(entry, client, where, env)));
    }
    return clients;
  }

  private static String secretHash(
      JsonObject entry, RegisteredClient client, String where, UnaryOperator<String> env) {
    String hash = string(entry, "client_secret_hash", where);
    String variable = string(entry, "client_secret_env", where);
    if (client.isPublic()) {
      if (hash != null || variable != null) {
        throw new InvalidSettingException(
            where
                + "a public client (token_endpoint_auth_method none) has no secret: remove"
                + " client_secret_hash / client_secret_env");
      }
      return null;
    }
    if ((hash == null) == (variable == null)) {
      throw new InvalidSettingException(
          where
              + "a confidential client needs exactly one of client_secret_hash and"
              + " client_secret_env");
    }
    if (hash != null) {
      if (!ClientSecrets.isHash(hash) || hash.equals(ClientSecrets.EMPTY_HASH)) {
        throw new InvalidSettingException(
            where
                + "client_secret_hash must be the SHA-256 of a non-empty secret in 64 lower-case"
                + " hex digits (printf %s \"$SECRET\" | sha256sum)");
      }
      return hash;
    }
    if (!ENV_NAME.matcher(variable).matches()) {
      throw new InvalidSettingException(
          where + "client_secret_env must name an environment variable (letters, digits, _)");
    }
    String secret = env.apply(variable);
    if (secret == null || secret.length() < ClientSecrets.MIN_FILE_LENGTH) {
      throw new InvalidSettingException(
          where
              + "client_secret_env names "
              + variable
              + ", which "
              + (secret == null
                  ? "is not set"
                  : "holds fewer than " + ClientSecrets.MIN_FILE_LENGTH + " characters")
              + "; the secret must be set and at least "
              + ClientSecrets.MIN_FILE_LENGTH
              + " characters");
    }
    return ClientSecrets.hash(secret);
  }

  private static String string(JsonObject entry, String name, String where) {
    JsonValue value = entry.get(name);
    if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
      return null;
    }
    if (!(value instanceof JsonString string) || string.getString().isEmpty()) {
      throw new InvalidSettingException(where + name + " must be a non-empty string");
    }
    return string.getString();
  }

  /** How an error names an entry: its position, and its client_id when it has a string one. */
  private static String where(int position, JsonObject entry) {
    var id = entry.get("client_id");
    String named =
        id instanceof JsonString s
            ? " (client_id "
                + LogValues.escape(
                    s.getString().length() > 64
                        ? s.getString().substring(0, 64) + "…"
                        : s.getString())
                + ")"
            : "";
    return KEY + " entry " + position + named + ": ";
  }
}
