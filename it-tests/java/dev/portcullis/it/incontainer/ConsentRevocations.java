package dev.portcullis.it.incontainer;

import dev.portcullis.oauth.consent.ConsentRevoked;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test-only observer deployed with the in-container ITs: records every {@link ConsentRevoked} and
 * whether a transaction was active when it arrived (the event must be fired inside the revoking
 * transaction, so an observer that ends tokens commits with it).
 */
@ApplicationScoped
public class ConsentRevocations {

  /** One observed event and whether it came inside an active transaction. */
  public record Seen(ConsentRevoked event, boolean inTransaction) {}

  private final List<Seen> seen = new CopyOnWriteArrayList<>();

  @Resource(lookup = "java:comp/TransactionSynchronizationRegistry")
  TransactionSynchronizationRegistry transactions;

  void on(@Observes ConsentRevoked revoked) {
    seen.add(new Seen(revoked, transactions.getTransactionStatus() == Status.STATUS_ACTIVE));
  }

  public List<Seen> seen() {
    return List.copyOf(seen);
  }
}
