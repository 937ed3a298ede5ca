package dev.portcullis.bench.bare;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The bare server's JAX-RS resource: {@code /health/live} with the same JSON and headers as
 * Portcullis' (the baseline of the request-overhead table), and {@code /health/ready}, which the
 * test harness polls before it calls a server started.
 */
@Path("")
public class BareHealthResource {

  static final String UP =
      "{\"status\":\"UP\",\"checks\":{\"database\":\"UP\",\"signing_keys\":\"UP\"}}";

  @GET
  @Path("live")
  public Response live() {
    return up();
  }

  @GET
  @Path("ready")
  public Response ready() {
    return up();
  }

  private static Response up() {
    return Response.ok(UP, MediaType.APPLICATION_JSON).header("Cache-Control", "no-store").build();
  }
}
