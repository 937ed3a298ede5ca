package dev.portcullis.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins the catalogue of problem codes: the codes are API, so the set of wire values, and the status
 * and title each code goes out with, are spelled here as literals. Renaming, adding or dropping a
 * constant, or moving a code to another status, fails a test until this file agrees.
 */
class ErrorCodeTest {

  /** Every code with one status: its wire value, status and title. */
  static Stream<Arguments> codesWithOneStatus() {
    return Stream.of(
        Arguments.of("UNAUTHORIZED", 401, "Unauthorized"),
        Arguments.of("FORBIDDEN", 403, "Forbidden"),
        Arguments.of("NOT_FOUND", 404, "Not found"),
        Arguments.of("METHOD_NOT_ALLOWED", 405, "Method not allowed"),
        Arguments.of("NOT_ACCEPTABLE", 406, "Not acceptable"),
        Arguments.of("PAYLOAD_TOO_LARGE", 413, "Payload too large"),
        Arguments.of("UNSUPPORTED_MEDIA_TYPE", 415, "Unsupported media type"),
        Arguments.of("INTERNAL_ERROR", 500, "Internal error"),
        Arguments.of("SERVICE_UNAVAILABLE", 503, "Service unavailable"),
        Arguments.of("HTTPS_REQUIRED", 400, "Bad request"),
        Arguments.of("CREDENTIAL_IN_URL", 400, "Bad request"),
        Arguments.of("LENGTH_REQUIRED", 411, "Length required"),
        Arguments.of("CSRF_REJECTED", 403, "Forbidden"),
        Arguments.of("AMBIGUOUS_CREDENTIALS", 400, "Bad request"),
        Arguments.of("INVALID_TOKEN", 401, "Unauthorized"),
        Arguments.of("TOKEN_EXPIRED", 401, "Unauthorized"),
        Arguments.of("INVALID_API_KEY", 401, "Unauthorized"),
        Arguments.of("SESSION_ENDED", 401, "Unauthorized"),
        Arguments.of("RATE_LIMITED", 429, "Too many requests"),
        Arguments.of("INVALID_CREDENTIALS", 401, "Unauthorized"),
        Arguments.of("PASSWORD_CHANGE_REQUIRED", 403, "Forbidden"),
        Arguments.of("REFRESH_TOKEN_REUSED", 401, "Unauthorized"),
        Arguments.of("NOT_A_SESSION", 400, "Bad request"),
        Arguments.of("INSUFFICIENT_SCOPE", 403, "Forbidden"),
        Arguments.of("TOO_MANY_KEYS", 409, "Conflict"),
        Arguments.of("KEY_INACTIVE", 409, "Conflict"),
        Arguments.of("VALIDATION_FAILED", 400, "Bad request"),
        Arguments.of("USER_EXISTS", 409, "Conflict"),
        Arguments.of("SELF_LOCKOUT", 409, "Conflict"),
        Arguments.of("CONFLICT", 409, "Conflict"),
        Arguments.of("LAST_SIGN_IN_METHOD", 409, "Conflict"),
        Arguments.of("CLIENT_EXISTS", 409, "Conflict"),
        Arguments.of("CLIENT_READ_ONLY", 409, "Conflict"));
  }

  @Test
  void theCatalogueIsExactlyTheseWireValues() {
    assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::code))
        .containsExactlyInAnyOrder(
            "BAD_REQUEST",
            "UNAUTHORIZED",
            "FORBIDDEN",
            "NOT_FOUND",
            "METHOD_NOT_ALLOWED",
            "NOT_ACCEPTABLE",
            "PAYLOAD_TOO_LARGE",
            "UNSUPPORTED_MEDIA_TYPE",
            "INTERNAL_ERROR",
            "SERVICE_UNAVAILABLE",
            "HTTPS_REQUIRED",
            "CREDENTIAL_IN_URL",
            "LENGTH_REQUIRED",
            "CSRF_REJECTED",
            "AMBIGUOUS_CREDENTIALS",
            "INVALID_TOKEN",
            "TOKEN_EXPIRED",
            "INVALID_API_KEY",
            "SESSION_ENDED",
            "RATE_LIMITED",
            "INVALID_CREDENTIALS",
            "PASSWORD_CHANGE_REQUIRED",
            "REFRESH_TOKEN_REUSED",
            "NOT_A_SESSION",
            "INSUFFICIENT_SCOPE",
            "TOO_MANY_KEYS",
            "KEY_INACTIVE",
            "VALIDATION_FAILED",
            "USER_EXISTS",
            "SELF_LOCKOUT",
            "CONFLICT",
            "LAST_SIGN_IN_METHOD",
            "CLIENT_EXISTS",
            "CLIENT_READ_ONLY");
  }

  @ParameterizedTest
  @EnumSource(ErrorCode.class)
  void theWireValueIsTheNameInUpperCaseWithUnderscores(ErrorCode code) {
    assertThat(code.code()).isEqualTo(code.name()).matches("[A-Z]+(_[A-Z]+)*");
  }

  @ParameterizedTest
  @MethodSource("codesWithOneStatus")
  void aCodeWithOneStatusCarriesItsStatusAndTitle(String wire, int status, String title) {
    var code = ErrorCode.valueOf(wire);

    assertThat(code.hasOneStatus()).isTrue();
    assertThat(code.status()).isEqualTo(status);
    assertThat(code.title()).isEqualTo(title);
  }

  @Test
  void everyCodeButBadRequestHasOneStatus() {
    List<String> pinned = codesWithOneStatus().map(a -> (String) a.get()[0]).toList();

    assertThat(
            Arrays.stream(ErrorCode.values()).filter(ErrorCode::hasOneStatus).map(ErrorCode::code))
        .containsExactlyInAnyOrderElementsOf(pinned);
    assertThat(ErrorCode.BAD_REQUEST.hasOneStatus()).isFalse();
  }

  @Test
  void badRequestGoesOutWithTheStatusOfTheErrorItAnswers() {
    assertThat(ErrorCode.BAD_REQUEST.title()).isEqualTo("Bad request");
    assertThatThrownBy(ErrorCode.BAD_REQUEST::status)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("BAD_REQUEST");
    for (int status : new int[] {400, 408, 414}) {
      var problem = Problem.forStatus(status);
      assertThat(problem.is(ErrorCode.BAD_REQUEST)).as("%d", status).isTrue();
      assertThat(problem.status()).isEqualTo(status);
      assertThat(problem.title()).isEqualTo("Bad request");
    }
  }

  @ParameterizedTest
  @EnumSource(ErrorCode.class)
  void aProblemBuiltFromAConstantCarriesItsCodeInItsJson(ErrorCode code) {
    var problem =
        code.hasOneStatus()
            ? Problem.of(code, "what happened")
            : Problem.of(418, code, "what happened");

    var json = problem.toJson();

    assertThat(json.getString("code")).isEqualTo(code.name());
    assertThat(json.getString("type"))
        .isEqualTo(
            "https://portcullis.dev/problems/" + code.name().toLowerCase().replace('_', '-'));
    assertThat(json.getString("title")).isEqualTo(code.title());
    assertThat(json.getInt("status")).isEqualTo(code.hasOneStatus() ? code.status() : 418);
    assertThat(json.getString("detail")).isEqualTo("what happened");
    assertThat(json.keySet()).containsExactly("type", "title", "status", "detail", "code");
    assertThat(problem.is(code)).isTrue();
  }

  @ParameterizedTest
  @MethodSource("codesWithOneStatus")
  void aProblemExceptionCarriesItsCodeStatusAndTitle(String wire, int status, String title) {
    var exception = new ProblemException(ErrorCode.valueOf(wire), "what happened");

    assertThat(exception.code()).isEqualTo(ErrorCode.valueOf(wire));
    assertThat(exception.getMessage()).isEqualTo(wire + ": what happened");
    assertThat(exception.problem())
        .isEqualTo(new Problem(status, wire, title, "what happened"))
        .returns(true, p -> p.is(ErrorCode.valueOf(wire)));
    assertThat(exception.problem().toJson().getString("code")).isEqualTo(wire);
  }

  @Test
  void aCodeWithOneStatusIsNeverBuiltWithAnother() {
    assertThat(Problem.of(404, ErrorCode.NOT_FOUND, "No such resource"))
        .isEqualTo(Problem.of(ErrorCode.NOT_FOUND, "No such resource"));
    assertThatThrownBy(() -> Problem.of(400, ErrorCode.NOT_FOUND, "No such resource"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("NOT_FOUND is sent with 404, not 400");
  }

  @Test
  void aProblemIsOnlyItsOwnCode() {
    var problem = Problem.of(ErrorCode.INVALID_TOKEN, "The refresh token is not valid");

    assertThat(problem.is(ErrorCode.INVALID_TOKEN)).isTrue();
    assertThat(problem.is(ErrorCode.TOKEN_EXPIRED)).isFalse();
    assertThat(new Problem(401, "SOMETHING_ELSE", "Unauthorized", "x").is(ErrorCode.INVALID_TOKEN))
        .isFalse();
  }
}
