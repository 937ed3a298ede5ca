package dev.portcullis.session;

import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.hibernate.Session;

/**
 * An in-memory stand-in for the {@link EntityManager} of {@link SessionService}, for unit tests and
 * benchmarks: it answers the cache's load query ({@link LoginSession#BY_TOKEN_HASH}) from a map,
 * counting the loads, and accepts the batched last-seen writes without doing anything. Anything
 * else fails.
 */
public final class SessionStoreStandIn {

  private SessionStoreStandIn() {}

  /**
   * An entity manager over {@code byHash} (cookie hash → session); {@code loads} counts queries.
   */
  public static EntityManager over(Map<String, LoginSession> byHash, AtomicInteger loads) {
    return (EntityManager)
        Proxy.newProxyInstance(
            EntityManager.class.getClassLoader(),
            new Class<?>[] {EntityManager.class},
            (self, method, args) -> {
              if (method.getName().equals("unwrap")) {
                return noWorkSession();
              }
              if (!method.getName().equals("createNamedQuery")
                  || !LoginSession.BY_TOKEN_HASH.equals(args[0])) {
                throw new UnsupportedOperationException(method.getName());
              }
              loads.incrementAndGet();
              return byHashQuery(byHash);
            });
  }

  private static TypedQuery<?> byHashQuery(Map<String, LoginSession> byHash) {
    var hash = new AtomicReference<String>();
    return (TypedQuery<?>)
        Proxy.newProxyInstance(
            TypedQuery.class.getClassLoader(),
            new Class<?>[] {TypedQuery.class},
            (self, method, args) ->
                switch (method.getName()) {
                  case "setParameter" -> {
                    hash.set((String) args[1]);
                    yield self;
                  }
                  case "getResultStream" -> Stream.ofNullable(byHash.get(hash.get()));
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  /** A Hibernate session whose {@code doWork} does nothing (the last-seen batch). */
  private static Session noWorkSession() {
    return (Session)
        Proxy.newProxyInstance(
            Session.class.getClassLoader(),
            new Class<?>[] {Session.class},
            (self, method, args) -> {
              if (!method.getName().equals("doWork")) {
                throw new UnsupportedOperationException(method.getName());
              }
              return null;
            });
  }
}
