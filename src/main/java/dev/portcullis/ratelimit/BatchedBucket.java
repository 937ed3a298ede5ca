package dev.portcullis.ratelimit;

import io.github.bucket4j.BlockingBucket;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.BucketListener;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.SchedulingBucket;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.VerboseBucket;
import io.github.bucket4j.util.concurrent.batch.BatchHelper.BatchFailedException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A shared bucket whose commands Bucket4j batches ({@code Optimizations.batching()}): while one
 * thread's command is at the database, the commands other threads issue on the same bucket queue up
 * and go in the next transaction together, one {@code SELECT ... FOR UPDATE} and {@code UPDATE} for
 * all of them, applied one after another exactly as if sent alone. So a burst on one address's
 * bucket costs a transaction per batch, not one row lock per request.
 *
 * <p>A batch that fails fails every command in it, each wrapped in Bucket4j's {@code
 * BatchFailedException}; this bucket throws the underlying failure instead (the driver's, or the
 * 503 {@code ProblemException} of the fail-closed execution strategy), as an unbatched command
 * would. Thread-safe.
 */
final class BatchedBucket implements Bucket {

  private final Bucket batched;

  BatchedBucket(Bucket batched) {
    this.batched = batched;
  }

  @Override
  public boolean tryConsume(long tokens) {
    return unwrapped(() -> batched.tryConsume(tokens));
  }

  @Override
  public ConsumptionProbe tryConsumeAndReturnRemaining(long tokens) {
    return unwrapped(() -> batched.tryConsumeAndReturnRemaining(tokens));
  }

  @Override
  public EstimationProbe estimateAbilityToConsume(long tokens) {
    return unwrapped(() -> batched.estimateAbilityToConsume(tokens));
  }

  @Override
  public long consumeIgnoringRateLimits(long tokens) {
    return unwrappedLong(() -> batched.consumeIgnoringRateLimits(tokens));
  }

  @Override
  public long tryConsumeAsMuchAsPossible() {
    return unwrappedLong(batched::tryConsumeAsMuchAsPossible);
  }

  @Override
  public long tryConsumeAsMuchAsPossible(long limit) {
    return unwrappedLong(() -> batched.tryConsumeAsMuchAsPossible(limit));
  }

  @Override
  public void addTokens(long tokens) {
    unwrapped(
        () -> {
          batched.addTokens(tokens);
          return null;
        });
  }

  @Override
  public void forceAddTokens(long tokens) {
    unwrapped(
        () -> {
          batched.forceAddTokens(tokens);
          return null;
        });
  }

  @Override
  public void reset() {
    unwrapped(
        () -> {
          batched.reset();
          return null;
        });
  }

  @Override
  public long getAvailableTokens() {
    return unwrappedLong(batched::getAvailableTokens);
  }

  @Override
  public void replaceConfiguration(
      BucketConfiguration configuration, TokensInheritanceStrategy strategy) {
    unwrapped(
        () -> {
          batched.replaceConfiguration(configuration, strategy);
          return null;
        });
  }

  /** Not used by Portcullis; its failures arrive as Bucket4j throws them. */
  @Override
  public BlockingBucket asBlocking() {
    return batched.asBlocking();
  }

  /** Not used by Portcullis; its failures arrive as Bucket4j throws them. */
  @Override
  public SchedulingBucket asScheduler() {
    return batched.asScheduler();
  }

  /** Not used by Portcullis; its failures arrive as Bucket4j throws them. */
  @Override
  public VerboseBucket asVerbose() {
    return batched.asVerbose();
  }

  @Override
  public Bucket toListenable(BucketListener listener) {
    return new BatchedBucket(batched.toListenable(listener));
  }

  private static long unwrappedLong(LongSupplier command) {
    return unwrapped(command::getAsLong);
  }

  private static <T> T unwrapped(Supplier<T> command) {
    try {
      return command.get();
    } catch (BatchFailedException e) {
      Throwable cause = e;
      while (cause instanceof BatchFailedException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }
}
