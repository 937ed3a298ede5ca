package dev.portcullis.database;

import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.Session;

/**
 * Writes "last used" times collected in memory (API keys' {@code last_used_at}, sessions' {@code
 * last_seen_at}) as one JDBC batch: one round trip per flush instead of one JPQL update per row.
 * With thousands of keys each used every second, the per-row updates had become the largest cost of
 * authenticating with an API key. A time never moves backwards.
 */
public final class LastUseBatches {

  private LastUseBatches() {}

  /** Takes every entry out of {@code pending}; entries added meanwhile wait for the next flush. */
  public static <K> Map<K, Instant> drain(Map<K, Instant> pending) {
    var batch = new HashMap<K, Instant>();
    for (var id : List.copyOf(pending.keySet())) {
      var at = pending.remove(id);
      if (at != null) {
        batch.put(id, at);
      }
    }
    return batch;
  }

  /**
   * {@code UPDATE table SET column = at WHERE id = key AND (column IS NULL OR column < at)} for
   * every entry, in the caller's transaction. {@code table} and {@code column} are the callers'
   * constants, never input.
   */
  public static <K> void write(
      EntityManager em, String table, String column, Map<K, Instant> times) {
    if (times.isEmpty()) {
      return;
    }
    String sql =
        "UPDATE "
            + table
            + " SET "
            + column
            + " = ? WHERE id = ? AND ("
            + column
            + " IS NULL OR "
            + column
            + " < ?)";
    em.unwrap(Session.class)
        .doWork(
            connection -> {
              try (var statement = connection.prepareStatement(sql)) {
                for (var entry : times.entrySet()) {
                  var at = OffsetDateTime.ofInstant(entry.getValue(), ZoneOffset.UTC);
                  statement.setObject(1, at);
                  statement.setObject(2, entry.getKey());
                  statement.setObject(3, at);
                  statement.addBatch();
                }
                statement.executeBatch();
              }
            });
  }
}
