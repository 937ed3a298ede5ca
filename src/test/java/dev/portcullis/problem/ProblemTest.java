package dev.portcullis.problem;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The problem the container's and REST runtime's own error statuses are answered with. */
class ProblemTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "400 | 400 | BAD_REQUEST            | Bad request            | The request is malformed",
        "401 | 401 | UNAUTHORIZED           | Unauthorized           | Authentication required",
        "403 | 403 | FORBIDDEN              | Forbidden              | The caller may not do this",
        "404 | 404 | NOT_FOUND              | Not found              | No such resource",
        "405 | 405 | METHOD_NOT_ALLOWED     | Method not allowed     | This resource does not support"
            + " that method",
        "406 | 406 | NOT_ACCEPTABLE         | Not acceptable         | This resource answers"
            + " application/json",
        "408 | 408 | BAD_REQUEST            | Bad request            | The request is malformed",
        "411 | 411 | BAD_REQUEST            | Bad request            | The request is malformed",
        "413 | 413 | PAYLOAD_TOO_LARGE      | Payload too large      | The request body is too large",
        "414 | 414 | BAD_REQUEST            | Bad request            | The request is malformed",
        "415 | 415 | UNSUPPORTED_MEDIA_TYPE | Unsupported media type | Send the request body as"
            + " application/json",
        "500 | 500 | INTERNAL_ERROR         | Internal error         | The request failed",
        "502 | 500 | INTERNAL_ERROR         | Internal error         | The request failed",
        "503 | 503 | SERVICE_UNAVAILABLE    | Service unavailable    | The service is temporarily"
            + " unavailable; retry later",
      })
  void answersAnErrorStatusWithItsProblem(
      int error, int status, String code, String title, String detail) {
    assertThat(Problem.forStatus(error)).isEqualTo(new Problem(status, code, title, detail));
  }

  @ParameterizedTest
  @CsvSource({
    "404, '{\"type\":\"https://portcullis.dev/problems/not-found\",\"title\":\"Not found\","
        + "\"status\":404,\"detail\":\"No such resource\",\"code\":\"NOT_FOUND\"}'",
    "405, '{\"type\":\"https://portcullis.dev/problems/method-not-allowed\","
        + "\"title\":\"Method not allowed\",\"status\":405,"
        + "\"detail\":\"This resource does not support that method\","
        + "\"code\":\"METHOD_NOT_ALLOWED\"}'",
  })
  void writesTheBodyAsRfc9457Json(int error, String json) {
    assertThat(Problem.forStatus(error).toJson().toString()).isEqualTo(json);
  }
}
