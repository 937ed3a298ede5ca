package dev.portcullis.it;

import static dev.portcullis.it.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * No user enumeration by timing: the median time of a login with an unknown username and of one
 * with a wrong password for an existing account are the same within noise, because an unknown user
 * still pays for a (dummy) Argon2id hash. Without that dummy hash the unknown-user median would be
 * a small fraction of the other and this test would fail.
 */
@ExtendWith(SharedServer.class)
class EnumerationTimingIT {

  private static final int SAMPLES = 25;

  @Test
  void unknownUserAndWrongPasswordTakeTheSameTime(Api api) {
    var users = new ArrayList<String>();
    for (int i = 0; i < SAMPLES + 3; i++) {
      String name = unique("timing" + i);
      api.createUser(name, "Timing-Pass-" + i, "user");
      users.add(name);
    }
    var unknown = new ArrayList<Long>();
    var wrong = new ArrayList<Long>();
    for (int i = 0; i < SAMPLES + 3; i++) {
      long a = time(api, unique("nobody" + i), "Wrong-Pass-" + i);
      long b = time(api, users.get(i), "Wrong-Pass-" + i);
      if (i >= 3) { // the first rounds warm up the JIT
        unknown.add(a);
        wrong.add(b);
      }
    }
    double ratio = (double) median(unknown) / median(wrong);
    assertThat(ratio)
        .as(
            "median unknown-user %d µs vs wrong-password %d µs",
            median(unknown) / 1000, median(wrong) / 1000)
        .isBetween(0.67, 1.5);
  }

  private static long time(Api api, String username, String password) {
    long start = System.nanoTime();
    var reply = api.post("/api/v1/auth/login", Api.credentials(username, password));
    long took = System.nanoTime() - start;
    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.code()).isEqualTo("INVALID_CREDENTIALS");
    return took;
  }

  private static long median(List<Long> values) {
    var sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
