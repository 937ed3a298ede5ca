package dev.portcullis.bench;

import dev.portcullis.it.Api;
import jakarta.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * The realistic population the load benchmark draws from, made through the public API like real
 * clients would: users (admin API), access tokens (a password login per user, then a chain of
 * refresh grants, so every token is distinct and signed), API keys (the owner's own key API) and
 * browser sessions (the login form). Each list is written to a file, one credential per line, for
 * the wrk script. The files hold throw-away credentials of a throw-away database.
 */
final class Population {

  static final String PASSWORD_PREFIX = "Bench-Pass-";

  record User(String username, String password) {}

  final List<User> users;
  final List<String> accessTokens;
  final List<String> refreshTokens;
  final List<String> apiKeys;
  final List<String> sessions;

  private Population(
      List<User> users,
      List<String> accessTokens,
      List<String> refreshTokens,
      List<String> apiKeys,
      List<String> sessions) {
    this.users = users;
    this.accessTokens = accessTokens;
    this.refreshTokens = refreshTokens;
    this.apiKeys = apiKeys;
    this.sessions = sessions;
  }

  /**
   * Creates {@code userCount} users, {@code tokenCount} access tokens, {@code keyCount} API keys
   * and {@code sessionCount} browser sessions, spread evenly over the users, with {@code
   * parallelism} clients at a time.
   */
  static Population create(
      Api api, int userCount, int tokenCount, int keyCount, int sessionCount, int parallelism) {
    String admin = api.adminToken();
    lapStart = System.nanoTime();
    var users =
        parallel(
            userCount,
            parallelism,
            i -> {
              var user = new User("bench-user-" + i, PASSWORD_PREFIX + i + "-x7Q");
              var body =
                  Json.createObjectBuilder()
                      .add("username", user.username())
                      .add("password", user.password())
                      .add("roles", Json.createArrayBuilder().add("user"))
                      .build()
                      .toString();
              expect(
                  api.post("/api/v1/admin/users", body, "Authorization", "Bearer " + admin), 201);
              return user;
            });
    lap("users");
    int tokensPerUser = ceilDiv(tokenCount, userCount);
    var tokenChains =
        parallel(
            userCount,
            parallelism,
            i -> {
              var login = api.login(users.get(i).username(), users.get(i).password());
              var tokens = new ArrayList<String>();
              tokens.add(login.getString("access_token"));
              String refresh = login.getString("refresh_token");
              while (tokens.size() < tokensPerUser) {
                var reply =
                    expect(
                        api.post(
                            "/api/v1/auth/refresh",
                            Json.createObjectBuilder()
                                .add("refresh_token", refresh)
                                .build()
                                .toString()),
                        200);
                tokens.add(reply.json().getString("access_token"));
                refresh = reply.json().getString("refresh_token");
              }
              return new TokenChain(tokens, refresh);
            });
    var accessTokens = new ArrayList<String>();
    var refreshTokens = new ArrayList<String>();
    tokenChains.forEach(
        chain -> {
          accessTokens.addAll(chain.accessTokens());
          refreshTokens.add(chain.lastRefreshToken());
        });
    lap("access tokens");
    var apiKeys =
        parallel(
            keyCount,
            parallelism,
            i ->
                expect(
                        api.post(
                            "/api/v1/keys",
                            "{\"name\":\"bench-" + i + "\",\"scopes\":[\"user\"]}",
                            "Authorization",
                            "Bearer " + tokenChains.get(i % userCount).accessTokens().get(0)),
                        201)
                    .json()
                    .getString("key"));
    lap("API keys");
    var sessions =
        parallel(
            sessionCount,
            parallelism,
            i -> {
              var user = users.get(i % userCount);
              String cookie = api.formLogin(user.username(), user.password(), "/account");
              if (cookie == null) {
                throw new IllegalStateException("form login refused: " + api.lastExchange());
              }
              return cookie;
            });
    lap("sessions");
    Collections.shuffle(accessTokens);
    return new Population(
        users, accessTokens.subList(0, tokenCount), refreshTokens, apiKeys, sessions);
  }

  /** Writes {@code lines} to {@code file}, one per line. */
  static Path write(Path file, List<String> lines) {
    try {
      Files.createDirectories(file.getParent());
      return Files.write(file, lines);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + file, e);
    }
  }

  private static long lapStart;

  /** Prints how long the step just finished took. */
  private static void lap(String what) {
    long now = System.nanoTime();
    System.out.printf("[bench]   %s in %.1f s%n", what, (now - lapStart) / 1e9);
    lapStart = now;
  }

  private record TokenChain(List<String> accessTokens, String lastRefreshToken) {}

  private static Api.Reply expect(Api.Reply reply, int status) {
    if (reply.status() != status) {
      throw new IllegalStateException(
          "expected " + status + ", got " + reply.status() + ": " + reply.body());
    }
    return reply;
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  /** {@code make(0..count-1)} on {@code parallelism} threads, results in index order. */
  private static <T> List<T> parallel(int count, int parallelism, IntFunction<T> make) {
    var pool = Executors.newFixedThreadPool(parallelism);
    try {
      var futures = new ArrayList<Future<T>>();
      for (int i = 0; i < count; i++) {
        int index = i;
        futures.add(pool.submit((Callable<T>) () -> make.apply(index)));
      }
      var results = new ArrayList<T>(count);
      for (var future : futures) {
        results.add(future.get());
      }
      return results;
    } catch (ExecutionException e) {
      throw new IllegalStateException("populating failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      pool.shutdownNow();
    }
  }
}
