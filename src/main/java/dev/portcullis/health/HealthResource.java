package dev.portcullis.health;

import dev.portcullis.config.Settings;
import dev.portcullis.database.DataSourceConfig;
import dev.portcullis.problem.JsonFactory;
import dev.portcullis.token.SigningKeys;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.time.Clock;
import javax.sql.DataSource;

/**
 * {@code /health/live} (the process answers) and {@code /health/ready} (the database answers within
 * 2 seconds and a signing key is active). Not ready → 503 with {@code Retry-After}.
 *
 * <p>Application-scoped: a request-scoped bean repeats the {@code @Resource} JNDI look-up of the
 * data source for every request, and Payara serialises those look-ups on one monitor.
 */
@Path("")
@ApplicationScoped
public class HealthResource {

  @Resource(lookup = DataSourceConfig.JNDI_NAME)
  DataSource dataSource;

  @Inject SigningKeys keys;
  @Inject Settings settings;
  @Inject Clock clock;

  /**
   * The body of every {@code /health/live} answer, built once: liveness checks nothing but that the
   * process answers, and a load balancer may ask many times a second.
   */
  private static final String LIVE = body(true, true, true);

  @GET
  @Path("live")
  public Response live() {
    return Response.ok(LIVE, MediaType.APPLICATION_JSON)
        .header("Cache-Control", "no-store")
        .build();
  }

  @GET
  @Path("ready")
  public Response ready() {
    boolean database = databaseAnswers();
    boolean signing =
        keys.current().signingKey(settings.tokenAlgorithm(), clock.instant()).isPresent();
    return answer(database && signing, database, signing);
  }

  private boolean databaseAnswers() {
    try (var connection = dataSource.getConnection()) {
      return connection.isValid(2);
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }

  private static String body(boolean up, boolean database, boolean signing) {
    return JsonFactory.createObjectBuilder()
        .add("status", up ? "UP" : "DOWN")
        .add(
            "checks",
            JsonFactory.createObjectBuilder()
                .add("database", database ? "UP" : "DOWN")
                .add("signing_keys", signing ? "UP" : "DOWN"))
        .build()
        .toString();
  }

  private static Response answer(boolean up, boolean database, boolean signing) {
    var response =
        Response.status(up ? 200 : 503)
            .type(MediaType.APPLICATION_JSON)
            .header("Cache-Control", "no-store")
            .entity(body(up, database, signing));
    if (!up) {
      response.header("Retry-After", "5");
    }
    return response.build();
  }
}
