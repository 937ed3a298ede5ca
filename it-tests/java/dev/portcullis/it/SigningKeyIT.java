package dev.portcullis.it;

import static dev.portcullis.it.Api.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Signing-key rotation on the real server: an emergency rotation makes a new key sign while tokens
 * of the old one stay valid and both stay published; revoking a key kills its tokens at once; an
 * independent JOSE library (nimbus) verifies new tokens against the published JWKS.
 */
@ExtendWith(SharedServer.class)
class SigningKeyIT {

  @Test
  void jwksIsCacheablePublicOnlyAndVerifiesTokensWithAnIndependentLibrary(Api api)
      throws Exception {
    var reply = api.get("/.well-known/jwks.json", "Accept", "text/html, image/gif, */*; q=0.2");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("Cache-Control")).contains("max-age");
    var jwks = JWKSet.parse(reply.body());
    assertThat(jwks.getKeys())
        .isNotEmpty()
        .allSatisfy(
            key -> {
              assertThat(key.isPrivate()).isFalse();
              assertThat(key.getKeyID()).isNotBlank();
              assertThat(key.getAlgorithm()).isNotNull();
            });
    assertThat(reply.body()).doesNotContain("\"d\"", "\"p\"", "\"q\"", "\"dp\"", "\"qi\"");

    var claims = verify(api.adminToken(), jwks, api);
    assertThat(claims.getSubject()).isNotBlank();
    assertThat(claims.getStringClaim("upn")).isEqualTo("admin");
    assertThat(claims.getStringListClaim("groups")).contains("admin");
    assertThat(claims.getStringClaim("sid")).isNotBlank();
    assertThat(claims.getJWTID()).isNotBlank();
    assertThat(claims.getNotBeforeTime()).isNotNull();
    assertThat(claims.getClaim("client_id")).isNotNull();
    assertThat(claims.getClaim("scope")).isNotNull();
  }

  @Test
  void rotationKeepsOldTokensValidAndRevocationKillsThemAtOnce(Api api) throws Exception {
    String admin = api.adminToken();
    String oldKid = SignedJWT.parse(admin).getHeader().getKeyID();

    var rotate =
        api.post("/api/v1/admin/signing-keys/rotate", null, "Authorization", bearer(admin));
    assertThat(rotate.status()).isEqualTo(200);
    String newKid = rotate.json().getString("kid");
    assertThat(newKid).isNotEqualTo(oldKid);

    assertThat(api.get("/api/v1/me", "Authorization", bearer(admin)).status())
        .as("a token of the previous key stays valid until it expires")
        .isEqualTo(200);
    String fresh = api.adminToken();
    assertThat(SignedJWT.parse(fresh).getHeader().getKeyID()).isEqualTo(newKid);
    var jwks = JWKSet.parse(api.get("/.well-known/jwks.json").body());
    assertThat(jwks.getKeyByKeyId(oldKid)).isNotNull();
    assertThat(jwks.getKeyByKeyId(newKid)).isNotNull();
    verify(fresh, jwks, api);
    verify(admin, jwks, api);

    var keys = api.get("/api/v1/admin/signing-keys", "Authorization", bearer(fresh));
    assertThat(keys.status()).isEqualTo(200);
    assertThat(keys.body()).contains(newKid).doesNotContain("private");

    var revoke =
        api.post(
            "/api/v1/admin/signing-keys/" + oldKid + "/revoke",
            null,
            "Authorization",
            bearer(fresh));
    assertThat(revoke.status()).isEqualTo(200);
    var dead = api.get("/api/v1/me", "Authorization", bearer(admin));
    assertThat(dead.status()).isEqualTo(401);
    assertThat(dead.code()).isEqualTo("INVALID_TOKEN");
    assertThat(api.get("/.well-known/jwks.json").body()).doesNotContain(oldKid);
    assertThat(api.get("/api/v1/me", "Authorization", bearer(fresh)).status()).isEqualTo(200);

    assertThat(
            api.post(
                    "/api/v1/admin/signing-keys/" + oldKid + "/revoke",
                    null,
                    "Authorization",
                    bearer(fresh))
                .status())
        .as("already revoked")
        .isEqualTo(404);
    assertThat(
            api.post(
                    "/api/v1/admin/signing-keys/no-such-kid/revoke",
                    null,
                    "Authorization",
                    bearer(fresh))
                .status())
        .isEqualTo(404);
  }

  @Test
  void onlyAdminsManageSigningKeys(Api api) {
    String name = Api.unique("keyuser");
    api.createUser(name, "Key-User-Pass1", "user");
    String token = api.login(name, "Key-User-Pass1").getString("access_token");
    assertThat(
            api.post("/api/v1/admin/signing-keys/rotate", null, "Authorization", bearer(token))
                .status())
        .isEqualTo(403);
    assertThat(api.post("/api/v1/admin/signing-keys/rotate", null).status()).isEqualTo(401);
  }

  private static JWTClaimsSet verify(String token, JWKSet jwks, Api api) throws Exception {
    var processor = new DefaultJWTProcessor<SecurityContext>();
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
    processor.setJWSKeySelector(
        new JWSVerificationKeySelector<>(
            Set.of(JWSAlgorithm.PS256, JWSAlgorithm.RS256, JWSAlgorithm.ES256),
            new ImmutableJWKSet<>(jwks)));
    processor.setJWTClaimsSetVerifier(
        new DefaultJWTClaimsVerifier<>(
            "portcullis",
            new JWTClaimsSet.Builder().issuer(api.server().issuer()).build(),
            Set.of("sub", "exp", "iat", "jti", "sid", "upn", "groups")));
    return processor.process(token, null);
  }
}
