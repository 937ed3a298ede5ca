package dev.portcullis.apikey;

/**
 * A key just created or rotated: the only time its full value exists outside the client.
 *
 * @param key the stored key
 * @param value the full key, shown once
 */
public record CreatedApiKey(ApiKey key, String value) {

  @Override
  public String toString() {
    return "CreatedApiKey[id=" + key.id() + ", redacted]";
  }
}
