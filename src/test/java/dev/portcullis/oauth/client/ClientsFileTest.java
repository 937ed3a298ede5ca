package dev.portcullis.oauth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.config.InvalidSettingException;
import dev.portcullis.config.MapConfig;
import dev.portcullis.config.Settings;
import dev.portcullis.config.SettingsProducer;
import dev.portcullis.secret.OpaqueTokens;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link ClientsFile#parse}: a valid file with each way of giving a secret, and every invalid one
 * stopping the start with a message that names the entry and the field, never a secret.
 */
class ClientsFileTest {

  private static final Settings SETTINGS = SettingsProducer.read(new MapConfig(Map.of()));
  private static final String ENV_SECRET = "env-secret-0123456789-0123456789-abcdef";
  private static final Map<String, String> ENV =
      Map.of("LEGACY_SECRET", ENV_SECRET, "SHORT_SECRET", "too-short");
  private static final String HASH = OpaqueTokens.sha256("hashed-secret-0123456789-0123456789");

  private static List<FileClient> parse(String text) {
    return ClientsFile.parse(text, SETTINGS, ENV::get);
  }

  private static String entry(String id, String more) {
    return "{\"client_id\":\""
        + id
        + "\",\"name\":\"App "
        + id
        + "\",\"redirect_uris\":[\"https://"
        + id
        + ".example.com/cb\"],\"grant_types\":[\"authorization_code\"]"
        + more
        + "}";
  }

  @Test
  void readsEveryKindOfClient() {
    var clients =
        parse(
            "["
                + entry("legacy", ",\"client_secret_env\":\"LEGACY_SECRET\",\"require_pkce\":false")
                + ","
                + entry("hashed", ",\"client_secret_hash\":\"" + HASH + "\"")
                + ","
                + entry("spa", ",\"token_endpoint_auth_method\":\"none\"")
                + "]");

    assertThat(clients)
        .extracting(c -> c.client().clientId())
        .containsExactly("legacy", "hashed", "spa");
    assertThat(clients).allSatisfy(c -> assertThat(c.client().fromFile()).isTrue());
    assertThat(clients.get(0).secretHash()).isEqualTo(ClientSecrets.hash(ENV_SECRET));
    assertThat(clients.get(0).client().requirePkce()).isFalse();
    assertThat(clients.get(1).secretHash()).isEqualTo(HASH);
    assertThat(clients.get(2).secretHash()).isNull();
    assertThat(clients.toString()).doesNotContain(ENV_SECRET).doesNotContain(HASH);
  }

  @Test
  void anEmptyArrayHasNoClients() {
    assertThat(parse("[]")).isEmpty();
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "'{}' | must hold a JSON array of client objects",
        "'[' | must hold a JSON array of client objects",
        "'[{\"client_id\":\"a\",\"client_id\":\"b\"}]' | must hold a JSON array of client objects",
        "'[42]' | entry 1 must be a JSON object",
      })
  void refusesAFileThatIsNotAnArrayOfObjects(String text, String message) {
    assertThatThrownBy(() -> parse(text))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith("portcullis.clients-file")
        .hasMessageContaining(message);
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // the rules of the API, named by entry and field
        "',\"require_pkce\":\"no\"' | entry 2 (client_id \"web\"): 'require_pkce' must be true or"
            + " false",
        "',\"post_logout_redirect_uris\":[\"http://web.example.com/cb\"]' | entry 2 (client_id"
            + " \"web\"): post_logout_redirect_uris[0] may use http only on a loopback host",
        "',\"colour\":\"blue\"' | entry 2 (client_id \"web\"): colour is not a field of a client",
        "',\"client_secret\":\"plain\"' | entry 2 (client_id \"web\"): client_secret is not a field",
        // secrets
        "'' | entry 2 (client_id \"web\"): a confidential client needs exactly one of"
            + " client_secret_hash and client_secret_env",
        "',\"client_secret_env\":\"LEGACY_SECRET\",\"client_secret_hash\":\"HASH\"' | needs"
            + " exactly one of",
        "',\"client_secret_hash\":\"ABCDEF\"' | entry 2 (client_id \"web\"): client_secret_hash"
            + " must be the SHA-256",
        "',\"client_secret_hash\":\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"'"
            + " | client_secret_hash must be the SHA-256 of a non-empty secret",
        "',\"client_secret_hash\":\"\"' | client_secret_hash must be a non-empty string",
        "',\"client_secret_env\":\"UNSET_VARIABLE\"' | client_secret_env names UNSET_VARIABLE,"
            + " which is not set",
        "',\"client_secret_env\":\"SHORT_SECRET\"' | client_secret_env names SHORT_SECRET, which"
            + " holds fewer than 32 characters",
        "',\"client_secret_env\":\"$(id)\"' | client_secret_env must name an environment variable",
        "',\"token_endpoint_auth_method\":\"none\",\"client_secret_env\":\"LEGACY_SECRET\"' | a"
            + " public client (token_endpoint_auth_method none) has no secret",
      })
  void refusesAnInvalidEntryNamingItAndTheField(String more, String message) {
    String second = entry("web", more.replace("\"HASH\"", "\"" + HASH + "\""));
    String first = entry("ok", ",\"client_secret_hash\":\"" + HASH + "\"");

    assertThatThrownBy(() -> parse("[" + first + "," + second + "]"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith("portcullis.clients-file entry ")
        .hasMessageContaining(message)
        .hasMessageNotContaining(ENV_SECRET)
        .hasMessageNotContaining("too-short");
  }

  @Test
  void anEntryWithoutIdIsNamedByItsPosition() {
    assertThatThrownBy(
            () ->
                parse(
                    "[{\"name\":\"x\",\"grant_types\":[\"client_credentials\"],"
                        + "\"client_secret_hash\":\""
                        + HASH
                        + "\"}]"))
        .hasMessage("portcullis.clients-file entry 1: client_id is required in the file");
  }

  @Test
  void anIdUsedTwiceIsRefused() {
    String one = entry("web", ",\"client_secret_hash\":\"" + HASH + "\"");
    assertThatThrownBy(() -> parse("[" + one + "," + one + "]"))
        .hasMessageContaining("entry 2 (client_id \"web\"): client_id is already used by entry 1");
  }

  @Test
  void aMemberNameWithLineBreaksCannotForgeALogLine() {
    assertThatThrownBy(() -> parse("[" + entry("web", ",\"x\\nSEVERE fake\":1") + "]"))
        .hasMessageContaining("x?SEVERE fake is not a field")
        .hasMessageNotContaining("\n");
  }

  @Test
  void anIdWithLineBreaksIsEscapedInTheMessage() {
    assertThatThrownBy(() -> parse("[{\"client_id\":\"a\\nFAKE LOG LINE\"}]"))
        .hasMessageContaining("(client_id \"a\\nFAKE LOG LINE\")")
        .hasMessageNotContaining("\n");
  }
}
