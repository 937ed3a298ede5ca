package dev.portcullis.token;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jose4j.jwk.PublicJsonWebKey;

/**
 * An immutable snapshot of the unrevoked signing keys, answering which key signs now, which keys
 * verify, and which are published. Time is always passed in, so the rules are testable with a
 * pinned clock.
 *
 * <p>Rules: per algorithm, the key with the latest {@code activatesAt <= now} signs. A key is
 * retired when its successor activates and stays published (and verifying) for the longest token
 * lifetime after that. A key not yet active is published but does not sign. Thread-safe.
 */
public final class KeyRing {

  /**
   * One key with its derived retirement time.
   *
   * @param kid the key id (RFC 7638 thumbprint)
   * @param algorithm the one JWS algorithm this key is for
   * @param jwk the key pair (private part present when decrypted)
   * @param activatesAt when it starts signing
   * @param retiresAt when its successor starts signing, or null if it has none yet
   */
  public record Entry(
      String kid, String algorithm, PublicJsonWebKey jwk, Instant activatesAt, Instant retiresAt) {

    boolean publishedAt(Instant now, Duration maxTokenLifetime) {
      return retiresAt == null || now.isBefore(retiresAt.plus(maxTokenLifetime));
    }
  }

  private final List<Entry> entries;
  private final Map<String, Entry> byKid;
  private final Duration maxTokenLifetime;

  /**
   * Builds a ring from keys in any order.
   *
   * @param keys kid, algorithm, key pair and activation of each unrevoked key
   * @param maxTokenLifetime how long after retirement a key must still verify
   */
  public KeyRing(List<Entry> keys, Duration maxTokenLifetime) {
    this.maxTokenLifetime = maxTokenLifetime;
    var sorted = new ArrayList<>(keys);
    sorted.sort(Comparator.comparing(Entry::activatesAt).thenComparing(Entry::kid));
    var withRetirement = new ArrayList<Entry>();
    for (int i = 0; i < sorted.size(); i++) {
      var key = sorted.get(i);
      Instant retires = null;
      for (int j = i + 1; j < sorted.size(); j++) {
        if (sorted.get(j).algorithm().equals(key.algorithm())) {
          retires = sorted.get(j).activatesAt();
          break;
        }
      }
      withRetirement.add(
          new Entry(key.kid(), key.algorithm(), key.jwk(), key.activatesAt(), retires));
    }
    this.entries = List.copyOf(withRetirement);
    this.byKid =
        entries.stream().collect(Collectors.toUnmodifiableMap(Entry::kid, Function.identity()));
  }

  public static KeyRing empty(Duration maxTokenLifetime) {
    return new KeyRing(List.of(), maxTokenLifetime);
  }

  /** The key that signs {@code algorithm} tokens at {@code now}. */
  public Optional<Entry> signingKey(String algorithm, Instant now) {
    Entry current = null;
    for (var key : entries) {
      if (key.algorithm().equals(algorithm) && !key.activatesAt().isAfter(now)) {
        current = key;
      }
    }
    return Optional.ofNullable(current);
  }

  /** A key waiting to sign {@code algorithm} tokens after {@code now}, if one is published. */
  public Optional<Entry> pendingKey(String algorithm, Instant now) {
    return entries.stream()
        .filter(k -> k.algorithm().equals(algorithm) && k.activatesAt().isAfter(now))
        .findFirst();
  }

  /** The key that may verify a token with this {@code kid} at {@code now}. */
  public Optional<Entry> verificationKey(String kid, Instant now) {
    var key = kid == null ? null : byKid.get(kid);
    return key != null && key.publishedAt(now, maxTokenLifetime)
        ? Optional.of(key)
        : Optional.empty();
  }

  /** Every key the JWKS publishes at {@code now}. */
  public List<Entry> published(Instant now) {
    return entries.stream().filter(k -> k.publishedAt(now, maxTokenLifetime)).toList();
  }

  /** Keys no longer published at {@code now}: their private parts may be deleted. */
  public List<Entry> expired(Instant now) {
    return entries.stream().filter(k -> !k.publishedAt(now, maxTokenLifetime)).toList();
  }
}
