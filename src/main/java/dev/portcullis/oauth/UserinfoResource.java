package dev.portcullis.oauth;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import org.jose4j.jwt.MalformedClaimException;

/**
 * {@code GET|POST /oauth2/userinfo} (OpenID Connect Core 5.3): the claims of the scopes granted to
 * the presented access token, for a user's token carrying {@code openid}. The token comes only in
 * the {@code Authorization: Bearer} header (RFC 6750 2.1; never in the URL). Errors are RFC 6750 3:
 * 401 {@code invalid_token} with a {@code WWW-Authenticate} challenge, 403 {@code
 * insufficient_scope}.
 */
@Path("userinfo")
@RequestScoped
public class UserinfoResource {

  @Inject IssuedTokens tokens;
  @Context HttpServletRequest request;

  @GET
  public Response get() {
    return userinfo();
  }

  @POST
  public Response post() {
    return userinfo();
  }

  private Response userinfo() {
    List<String> headers = Collections.list(request.getHeaders("Authorization"));
    if (headers.size() != 1 || !headers.get(0).regionMatches(true, 0, "Bearer ", 0, 7)) {
      return challenge(401, null);
    }
    var active = tokens.active(headers.get(0).substring(7).strip());
    if (active.isEmpty() || active.get().user() == null) {
      return challenge(401, "invalid_token");
    }
    try {
      var scopes = Scopes.stored(active.get().claims().getStringClaimValue("scope"));
      if (!scopes.contains(Scopes.OPENID)) {
        return challenge(403, "insufficient_scope");
      }
      var body = Json.createObjectBuilder().add("sub", active.get().claims().getSubject());
      UserClaims.of(active.get().user(), scopes)
          .forEach(
              (name, value) -> {
                if (value instanceof Boolean flag) {
                  body.add(name, flag);
                } else if (value instanceof Collection<?> list) {
                  var array = Json.createArrayBuilder();
                  list.forEach(item -> array.add(item.toString()));
                  body.add(name, array);
                } else {
                  body.add(name, value.toString());
                }
              });
      return TokenResource.noStore(body.build().toString());
    } catch (MalformedClaimException e) {
      return challenge(401, "invalid_token");
    }
  }

  private static Response challenge(int status, String error) {
    String challenge =
        error == null
            ? "Bearer realm=\"portcullis\""
            : "Bearer realm=\"portcullis\", error=\"" + error + "\"";
    var response =
        Response.status(status)
            .header("WWW-Authenticate", challenge)
            .header("Cache-Control", "no-store");
    if (error != null) {
      response
          .type(MediaType.APPLICATION_JSON_TYPE)
          .entity(Json.createObjectBuilder().add("error", error).build().toString());
    }
    return response.build();
  }
}
