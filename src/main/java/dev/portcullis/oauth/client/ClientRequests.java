package dev.portcullis.oauth.client;

import dev.portcullis.config.Settings;
import dev.portcullis.problem.JsonBodies;
import dev.portcullis.problem.ProblemException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads a client registration — the body of {@code POST} and {@code PUT /api/v1/admin/clients}, or
 * one entry of the clients file — into a {@link RegisteredClient}, refusing anything that breaks a
 * rule with 400 {@code VALIDATION_FAILED} whose detail starts with the field's name. The rules and
 * why:
 *
 * <ul>
 *   <li>Every member must be one of {@link #FIELDS} (the file adds {@code client_secret_hash} and
 *       {@code client_secret_env}): a misspelt {@code requir_pkce} must not silently leave PKCE at
 *       its default.
 *   <li>{@code client_id}: optional through the API — absent, one is generated: 22 base64url
 *       characters, 128 random bits, unguessable though not secret — else 1-64 of {@code
 *       [A-Za-z0-9._~-]} (RFC 3986's unreserved characters: the id travels in URLs and forms and
 *       needs no encoding there). Required in the file, whose clients must keep their ids from one
 *       start to the next.
 *   <li>{@code name}: required, at most {@value #NAME_MAX} characters, no control characters (it is
 *       shown on the consent page).
 *   <li>{@code token_endpoint_auth_method}: {@code client_secret_basic} (the default: RFC 6749
 *       2.3.1 says servers must support it), {@code client_secret_post} or {@code none} (a public
 *       client).
 *   <li>{@code grant_types}: a non-empty subset of {@code authorization_code}, {@code
 *       refresh_token}, {@code client_credentials}. {@code client_credentials} only for
 *       confidential clients (RFC 6749 4.4: the grant is the client's own authentication); {@code
 *       refresh_token} only with {@code authorization_code}, the one grant here that issues refresh
 *       tokens (RFC 6749 4.4.3: never client credentials); {@code authorization_code} needs at
 *       least one redirect URI.
 *   <li>{@code redirect_uris}, {@code post_logout_redirect_uris}: {@link RedirectUris}.
 *   <li>{@code scopes}: at most {@value #MAX_SCOPES}, each 1-64 of {@code [A-Za-z0-9_.:-]} (RFC
 *       6749 3.3 allows more; these are what scope names look like, and keep them safe in logs);
 *       absent means {@code openid profile email}.
 *   <li>{@code require_pkce}: default true; false only for a confidential client (SPEC 3.6: an
 *       admin may exempt one whose library sends no PKCE, which must then send {@code nonce}; a
 *       public client has nothing else protecting its code).
 *   <li>{@code consent}: {@code required} or {@code implicit}, default {@code implicit}: the
 *       clients an administrator registers are mostly the organisation's own legacy applications,
 *       whose users should not be asked to approve their own company's app (Keycloak's default
 *       too); a third-party client is registered with {@code required}.
 *   <li>{@code access_token_profile}: {@code rfc9068} (default) or {@code mp-jwt}.
 *   <li>{@code roles}: only with {@code client_credentials} (they are what a client-credentials
 *       token carries, SPEC 3.6), each one of {@code portcullis.roles}, at most {@value
 *       #MAX_ROLES}.
 *   <li>{@code access_token_ttl}, {@code refresh_token_ttl}: optional ISO-8601 durations in whole
 *       seconds, like the server's own settings. An access token lives at least a minute and at
 *       most {@code portcullis.token.access-ttl}: retired signing keys stay published only that
 *       long (plus the clock leeway), so a longer-lived token would outlive its key in the JWKS. A
 *       refresh token's sliding lifetime is at least a minute and at most {@code
 *       portcullis.token.refresh-max-ttl}, the absolute cap of every refresh-token family.
 * </ul>
 *
 * Stateless, thread-safe.
 */
final class ClientRequests {

  /** The members of a registration, as the API accepts and answers them. */
  static final Set<String> FIELDS =
      Set.of(
          "client_id",
          "name",
          "redirect_uris",
          "post_logout_redirect_uris",
          "grant_types",
          "token_endpoint_auth_method",
          "scopes",
          "require_pkce",
          "consent",
          "access_token_profile",
          "roles",
          "access_token_ttl",
          "refresh_token_ttl");

  /** The members only a clients-file entry has: how its secret is given. */
  static final Set<String> FILE_SECRET_FIELDS = Set.of("client_secret_hash", "client_secret_env");

  static final int NAME_MAX = 100;
  static final int MAX_SCOPES = 50;
  static final int MAX_ROLES = 50;
  static final Duration MIN_TTL = Duration.ofMinutes(1);
  static final Set<String> DEFAULT_SCOPES = Set.of("openid", "profile", "email");
  static final Set<String> GRANT_TYPES =
      Set.of(
          RegisteredClient.AUTHORIZATION_CODE,
          RegisteredClient.REFRESH_TOKEN,
          RegisteredClient.CLIENT_CREDENTIALS);

  /** The {@code client_id} of Portcullis' own first-party tokens. */
  static final String FIRST_PARTY_CLIENT = "portcullis";

  private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._~-]{1,64}");
  private static final Pattern SCOPE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private ClientRequests() {}

  /** Whether {@code value} is a well-formed client id (so worth looking up). */
  static boolean isClientId(String value) {
    return value != null && CLIENT_ID.matcher(value).matches();
  }

  /** A new client from a {@code POST} body; its id is generated if the body names none. */
  static RegisteredClient newClient(JsonObject body, Settings settings) {
    refuseUnknownMembers(body, Set.of());
    String id = optionalId(body).orElseGet(ClientRequests::generateId);
    return read(body, id, false, settings);
  }

  /**
   * The replacement of client {@code clientId} from a {@code PUT} body: every mutable field as in a
   * new registration (an absent optional field takes its default); a {@code client_id} in the body
   * must be the same, and a public client ({@code wasPublic}) must stay public and a confidential
   * one confidential: a public client has no secret to authenticate with, and a confidential one
   * has tokens and consents issued on the strength of its secret.
   */
  static RegisteredClient replacement(
      JsonObject body, String clientId, boolean wasPublic, Settings settings) {
    refuseUnknownMembers(body, Set.of());
    optionalId(body)
        .filter(id -> !id.equals(clientId))
        .ifPresent(
            id -> {
              throw ProblemException.validation("client_id cannot change; it is in the path");
            });
    if ((authMethod(body) == ClientAuthMethod.NONE) != wasPublic) {
      throw kindCannotChange();
    }
    return read(body, clientId, false, settings);
  }

  /** 400: a client cannot switch between public and confidential. */
  static ProblemException kindCannotChange() {
    return ProblemException.validation(
        "token_endpoint_auth_method cannot switch between a public client (none) and a"
            + " confidential one; register a new client instead");
  }

  /** One entry of the clients file: {@code client_id} required; its secret is read elsewhere. */
  static RegisteredClient fileEntry(JsonObject entry, Settings settings) {
    refuseUnknownMembers(entry, FILE_SECRET_FIELDS);
    String id =
        optionalId(entry)
            .orElseThrow(() -> ProblemException.validation("client_id is required in the file"));
    return read(entry, id, true, settings);
  }

  /** A new client id: 128 random bits, base64url, 22 characters. */
  static String generateId() {
    var bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static RegisteredClient read(
      JsonObject json, String clientId, boolean fromFile, Settings settings) {
    if (clientId.equals(settings.audience()) || clientId.equals(FIRST_PARTY_CLIENT)) {
      // its access tokens would carry Portcullis' own audience and pass as first-party tokens
      throw ProblemException.validation(
          "client_id cannot be Portcullis' own audience or client id (" + clientId + ")");
    }
    String name = validName(JsonBodies.optionalString(json, "name").orElse(null));
    var method = authMethod(json);
    boolean isPublic = method == ClientAuthMethod.NONE;
    var grants = grantTypes(json, isPublic);
    var redirects = RedirectUris.valid(strings(json, "redirect_uris"), isPublic, "redirect_uris");
    if (grants.contains(RegisteredClient.AUTHORIZATION_CODE) && redirects.isEmpty()) {
      throw ProblemException.validation(
          "redirect_uris must name at least one URI for authorization_code");
    }
    var postLogout =
        RedirectUris.valid(
            strings(json, "post_logout_redirect_uris"), isPublic, "post_logout_redirect_uris");
    boolean requirePkce = JsonBodies.optionalBoolean(json, "require_pkce", true);
    if (!requirePkce && isPublic) {
      throw ProblemException.validation(
          "require_pkce cannot be false for a public client (token_endpoint_auth_method none)");
    }
    return new RegisteredClient(
        clientId,
        name,
        redirects,
        postLogout,
        grants,
        method,
        scopes(json),
        requirePkce,
        consentRequired(json),
        profile(json),
        roles(json, grants, settings),
        ttl(json, "access_token_ttl", settings.accessTokenTtl(), "portcullis.token.access-ttl"),
        ttl(
            json,
            "refresh_token_ttl",
            settings.refreshFamilyMaxTtl(),
            "portcullis.token.refresh-max-ttl"),
        fromFile);
  }

  private static void refuseUnknownMembers(JsonObject json, Set<String> extra) {
    for (String member : new TreeSet<>(json.keySet())) {
      if (!FIELDS.contains(member) && !extra.contains(member)) {
        throw ProblemException.validation(
            clip(member)
                + " is not a field of a client"
                + (member.startsWith("client_secret") && extra.isEmpty()
                    ? " registered through the API (Portcullis generates the secret)"
                    : ""));
      }
    }
  }

  private static Optional<String> optionalId(JsonObject json) {
    JsonValue value = json.get("client_id");
    if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
      return Optional.empty();
    }
    if (!(value instanceof JsonString string) || !isClientId(string.getString())) {
      throw ProblemException.validation("client_id must be 1-64 characters of A-Z a-z 0-9 . _ ~ -");
    }
    return Optional.of(string.getString());
  }

  private static String validName(String name) {
    String stripped = name == null ? "" : name.strip();
    if (stripped.isEmpty()
        || stripped.length() > NAME_MAX
        || stripped.chars().anyMatch(Character::isISOControl)) {
      throw ProblemException.validation(
          "name is required: 1-" + NAME_MAX + " characters without control characters");
    }
    return stripped;
  }

  private static ClientAuthMethod authMethod(JsonObject json) {
    return JsonBodies.optionalString(json, "token_endpoint_auth_method")
        .map(
            wire ->
                ClientAuthMethod.fromWire(wire)
                    .orElseThrow(
                        () ->
                            ProblemException.validation(
                                "token_endpoint_auth_method must be client_secret_basic,"
                                    + " client_secret_post or none")))
        .orElse(ClientAuthMethod.CLIENT_SECRET_BASIC);
  }

  private static Set<String> grantTypes(JsonObject json, boolean isPublic) {
    var grants = new LinkedHashSet<>(strings(json, "grant_types"));
    if (grants.isEmpty() || !GRANT_TYPES.containsAll(grants)) {
      throw ProblemException.validation(
          "grant_types must name one or more of authorization_code, refresh_token,"
              + " client_credentials");
    }
    if (isPublic && grants.contains(RegisteredClient.CLIENT_CREDENTIALS)) {
      throw ProblemException.validation(
          "grant_types cannot include client_credentials for a public client"
              + " (token_endpoint_auth_method none): it has no secret to authenticate with");
    }
    if (grants.contains(RegisteredClient.REFRESH_TOKEN)
        && !grants.contains(RegisteredClient.AUTHORIZATION_CODE)) {
      throw ProblemException.validation(
          "grant_types may include refresh_token only with authorization_code, the grant that"
              + " issues refresh tokens");
    }
    return grants;
  }

  private static Set<String> scopes(JsonObject json) {
    if (isAbsent(json, "scopes")) {
      return DEFAULT_SCOPES;
    }
    var scopes = new LinkedHashSet<>(strings(json, "scopes"));
    if (scopes.size() > MAX_SCOPES) {
      throw ProblemException.validation("scopes may name at most " + MAX_SCOPES + " scopes");
    }
    for (String scope : scopes) {
      if (!SCOPE.matcher(scope).matches()) {
        throw ProblemException.validation(
            "scopes must each be 1-64 characters of A-Z a-z 0-9 _ . : - (" + clip(scope) + ")");
      }
    }
    return scopes;
  }

  private static boolean consentRequired(JsonObject json) {
    return switch (JsonBodies.optionalString(json, "consent").orElse("implicit")) {
      case "implicit" -> false;
      case "required" -> true;
      default -> throw ProblemException.validation("consent must be required or implicit");
    };
  }

  private static AccessTokenProfile profile(JsonObject json) {
    return JsonBodies.optionalString(json, "access_token_profile")
        .map(
            wire ->
                AccessTokenProfile.fromWire(wire)
                    .orElseThrow(
                        () ->
                            ProblemException.validation(
                                "access_token_profile must be rfc9068 or mp-jwt")))
        .orElse(AccessTokenProfile.RFC9068);
  }

  private static Set<String> roles(JsonObject json, Set<String> grants, Settings settings) {
    var roles = new LinkedHashSet<>(strings(json, "roles"));
    if (roles.isEmpty()) {
      return roles;
    }
    if (!grants.contains(RegisteredClient.CLIENT_CREDENTIALS)) {
      throw ProblemException.validation(
          "roles are what a client_credentials token carries: add client_credentials to"
              + " grant_types or leave roles out");
    }
    if (roles.size() > MAX_ROLES) {
      throw ProblemException.validation("roles may name at most " + MAX_ROLES + " roles");
    }
    for (String role : roles) {
      if (!settings.knownRoles().contains(role)) {
        throw ProblemException.validation(
            "roles must each be one of portcullis.roles "
                + settings.knownRoles()
                + ": "
                + clip(role));
      }
    }
    return roles;
  }

  private static Optional<Duration> ttl(
      JsonObject json, String field, Duration max, String maxSetting) {
    var text = JsonBodies.optionalString(json, field);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Duration ttl;
    try {
      ttl = Duration.parse(text.get());
    } catch (DateTimeParseException e) {
      throw ProblemException.validation(field + " must be an ISO-8601 duration such as PT10M");
    }
    if (ttl.getNano() != 0) {
      throw ProblemException.validation(field + " must be whole seconds");
    }
    if (ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(max) > 0) {
      throw ProblemException.validation(
          field + " must be between PT1M and " + max + " (" + maxSetting + ")");
    }
    return Optional.of(ttl);
  }

  private static List<String> strings(JsonObject json, String field) {
    return JsonBodies.stringList(json, field);
  }

  private static boolean isAbsent(JsonObject json, String field) {
    JsonValue value = json.get(field);
    return value == null || value.getValueType() == JsonValue.ValueType.NULL;
  }

  private static String clip(String value) {
    return value.length() > 64 ? value.substring(0, 64) + "…" : value;
  }
}
