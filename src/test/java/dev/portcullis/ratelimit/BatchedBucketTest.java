package dev.portcullis.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.problem.ProblemException;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.distributed.proxy.BucketNotFoundException;
import io.github.bucket4j.util.concurrent.batch.BatchHelper.BatchFailedException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BatchedBucketTest {

  private final Bucket direct =
      Bucket.builder()
          .addLimit(Bandwidth.builder().capacity(5).refillGreedy(5, Duration.ofMinutes(1)).build())
          .build();

  /** A batching proxy whose every command fails with {@code failure}. */
  private static Bucket failingWith(RuntimeException failure) {
    return (Bucket)
        Proxy.newProxyInstance(
            Bucket.class.getClassLoader(),
            new Class<?>[] {Bucket.class},
            (self, method, args) -> {
              throw failure;
            });
  }

  @Test
  void aBatchThatFoundNoRowIsSentAgainAloneWhichCreatesTheBucket() {
    // Bucket4j 8.18: a batch reaching a row not created yet fails each of its commands so
    var bucket =
        new BatchedBucket(
            failingWith(new BatchFailedException(new BucketNotFoundException())), direct);

    var probe = bucket.tryConsumeAndReturnRemaining(1);

    assertThat(probe.isConsumed()).isTrue();
    assertThat(probe.getRemainingTokens()).isEqualTo(4);
    assertThat(direct.getAvailableTokens()).isEqualTo(4);
  }

  @Test
  void anyOtherFailedBatchGivesTheFailureItself() {
    var unavailable = ProblemException.unavailable();
    var bucket = new BatchedBucket(failingWith(new BatchFailedException(unavailable)), direct);

    assertThatThrownBy(() -> bucket.tryConsume(1)).isSameAs(unavailable);
    assertThat(direct.getAvailableTokens()).as("not sent again").isEqualTo(5);
  }
}
