package dev.portcullis.caller;

/** How a caller authenticated; {@code GET /api/v1/me} reports it as {@code auth_method}. */
public enum AuthMethod {
  JWT("jwt"),
  API_KEY("api_key"),
  SESSION("session");

  private final String wireName;

  AuthMethod(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
