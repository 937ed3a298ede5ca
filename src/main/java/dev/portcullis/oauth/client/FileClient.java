package dev.portcullis.oauth.client;

/**
 * One client of the clients file, validated ({@link ClientsFile#parse}): its registration and its
 * secret's hash — never the secret.
 *
 * @param client the registration ({@code fromFile} true)
 * @param secretHash the SHA-256 (hex) of its secret; null for a public client
 */
public record FileClient(RegisteredClient client, String secretHash) {

  @Override
  public String toString() {
    return "FileClient[" + client.clientId() + "]";
  }
}
