package dev.portcullis.oauth;

import dev.portcullis.oauth.wire.OAuthError;
import java.util.List;
import java.util.Map;

/** Rules every OAuth endpoint applies to its parameters. */
final class FormParameters {

  private FormParameters() {}

  /** RFC 6749 3.1, 3.2: no parameter may be sent more than once ({@code invalid_request}). */
  static void requireSingle(Map<String, List<String>> params) {
    for (var entry : params.entrySet()) {
      if (entry.getValue().size() > 1) {
        throw OAuthError.invalidRequest("A parameter is repeated");
      }
    }
  }
}
