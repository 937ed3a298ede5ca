package dev.portcullis.database;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.RollbackException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class DatabaseFailuresTest {

  @Test
  void anOptimisticLockFailureAnywhereInTheChainIsAConcurrentChange() {
    var atCommit = new RollbackException("commit failed");
    atCommit.initCause(new OptimisticLockException("row was updated"));
    assertThat(DatabaseFailures.isConcurrentChange(new RuntimeException(atCommit))).isTrue();
    assertThat(DatabaseFailures.isUnavailable(new RuntimeException(atCommit))).isFalse();
  }

  @Test
  void serializationFailuresAndDeadlocksAreConcurrentChanges() {
    assertThat(
            DatabaseFailures.isConcurrentChange(
                new PersistenceException(new SQLException("could not serialize", "40001"))))
        .isTrue();
    assertThat(
            DatabaseFailures.isConcurrentChange(
                new PersistenceException(new SQLException("deadlock detected", "40P01"))))
        .isTrue();
  }

  @Test
  void otherFailuresAreNot() {
    assertThat(
            DatabaseFailures.isConcurrentChange(
                new PersistenceException(new SQLException("duplicate key", "23505"))))
        .isFalse();
    assertThat(DatabaseFailures.isConcurrentChange(new IllegalStateException())).isFalse();
  }
}
