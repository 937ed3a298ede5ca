package dev.portcullis.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JsonBodiesTest {

  @Test
  void readsAnObject() {
    var body = JsonBodies.object("{\"username\":\"alice\",\"nested\":{\"a\":1,\"b\":[{\"c\":2}]}}");
    assertThat(JsonBodies.requiredString(body, "username")).isEqualTo("alice");
  }

  @Test
  void refusesADuplicateTopLevelMember() {
    assertRefused(
        "{\"username\":\"alice\",\"password\":\"x\",\"username\":\"admin\"}",
        "The request body names a member twice");
  }

  @Test
  void refusesDuplicatesAtAnyDepth() {
    assertRefused("{\"a\":{\"b\":1,\"b\":2}}", "The request body names a member twice");
    assertRefused(
        "{\"users\":[{\"u\":1},{\"u\":2,\"u\":3}]}", "The request body names a member twice");
  }

  @Test
  void anEscapedSpellingIsTheSameName() {
    assertRefused(
        "{\"username\":\"a\",\"user\\u006eame\":\"b\"}", "The request body names a member twice");
  }

  @Test
  void theSameNameInSiblingObjectsIsFine() {
    var body =
        JsonBodies.object("{\"a\":{\"id\":1},\"b\":{\"id\":1},\"c\":[{\"id\":1},{\"id\":2}]}");
    assertThat(body).hasSize(3);
  }

  @Test
  void otherMalformedBodiesKeepTheirMessages() {
    assertRefused("{\"a\":", "The request body is not valid JSON");
    assertRefused("[1,2]", "The request body is not valid JSON");
    assertRefused(" ", "The request body must be a JSON object");
  }

  @Test
  void theProviderOnTheClassPathHonoursTheKeyStrategy() {
    assertThat(JsonFactory.rejectsDuplicateMembers()).isTrue();
  }

  private static void assertRefused(String body, String detail) {
    assertThatThrownBy(() -> JsonBodies.object(body))
        .isInstanceOfSatisfying(
            ProblemException.class,
            e -> {
              assertThat(e.problem().status()).isEqualTo(400);
              assertThat(e.problem().code()).isEqualTo(ErrorCode.VALIDATION_FAILED.code());
              assertThat(e.problem().detail()).isEqualTo(detail);
            });
  }
}
