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
import io.github.bucket4j.distributed.proxy.BucketNotFoundException;
import io.github.bucket4j.util.concurrent.batch.BatchHelper.BatchFailedException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToLongFunction;

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
  private final Bucket direct;

  /**
   * @param batched the proxy with Bucket4j's batching
   * @param direct an unbatched proxy of the same row, for a command whose batch found no row
   */
  BatchedBucket(Bucket batched, Bucket direct) {
    this.batched = batched;
    this.direct = direct;
  }

  @Override
  public boolean tryConsume(long tokens) {
    return unwrapped(b -> b.tryConsume(tokens));
  }

  @Override
  public ConsumptionProbe tryConsumeAndReturnRemaining(long tokens) {
    return unwrapped(b -> b.tryConsumeAndReturnRemaining(tokens));
  }

  @Override
  public EstimationProbe estimateAbilityToConsume(long tokens) {
    return unwrapped(b -> b.estimateAbilityToConsume(tokens));
  }

  @Override
  public long consumeIgnoringRateLimits(long tokens) {
    return unwrappedLong(b -> b.consumeIgnoringRateLimits(tokens));
  }

  @Override
  public long tryConsumeAsMuchAsPossible() {
    return unwrappedLong(Bucket::tryConsumeAsMuchAsPossible);
  }

  @Override
  public long tryConsumeAsMuchAsPossible(long limit) {
    return unwrappedLong(b -> b.tryConsumeAsMuchAsPossible(limit));
  }

  @Override
  public void addTokens(long tokens) {
    unwrappedVoid(b -> b.addTokens(tokens));
  }

  @Override
  public void forceAddTokens(long tokens) {
    unwrappedVoid(b -> b.forceAddTokens(tokens));
  }

  @Override
  public void reset() {
    unwrappedVoid(b -> b.reset());
  }

  @Override
  public long getAvailableTokens() {
    return unwrappedLong(Bucket::getAvailableTokens);
  }

  @Override
  public void replaceConfiguration(
      BucketConfiguration configuration, TokensInheritanceStrategy strategy) {
    unwrappedVoid(b -> b.replaceConfiguration(configuration, strategy));
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
    return new BatchedBucket(batched.toListenable(listener), direct.toListenable(listener));
  }

  private long unwrappedLong(ToLongFunction<Bucket> command) {
    return unwrapped(b -> command.applyAsLong(b));
  }

  private void unwrappedVoid(Consumer<Bucket> command) {
    unwrapped(
        b -> {
          command.accept(b);
          return null;
        });
  }

  /**
   * Runs {@code command} on the batching proxy. Bucket4j 8.18 fails a whole batch with {@code
   * BucketNotFoundException} (in a {@code BatchFailedException}, as every failure of a batch) when
   * the batch reached a row that does not exist yet (the first burst on a key, or a row the
   * housekeeping deleted): the database answers "not found" for the batch as a whole, having rolled
   * its transaction back before any command ran, and the batching reads that answer as a result,
   * which throws, instead of handing each command the "not found" that makes an unbatched proxy
   * create the bucket. Such a command is sent again alone, which creates the row; nothing was
   * applied before, so nothing is charged twice ({@code SharedBucketBurstIT}). A batch that holds a
   * creating command runs whole, and each of its other commands gets its own answer, which the
   * proxy handles itself.
   */
  private <T> T unwrapped(Function<Bucket, T> command) {
    try {
      return command.apply(batched);
    } catch (BatchFailedException e) {
      Throwable cause = e;
      while (cause instanceof BatchFailedException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      if (cause instanceof BucketNotFoundException) {
        return command.apply(direct);
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
