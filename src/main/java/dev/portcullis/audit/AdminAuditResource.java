package dev.portcullis.audit;

import dev.portcullis.problem.JsonFactory;
import dev.portcullis.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * {@code /api/v1/admin/audit}: the audit log for administrators — list events (filters {@code
 * type}, {@code subject}, {@code outcome}, {@code since}, {@code until}; paging {@code offset},
 * {@code limit} ≤ 500; newest first) and verify the hash chain ({@code POST .../verify}). Admin
 * only; the table holds no secrets, so every column is shown.
 */
@Path("v1/admin/audit")
@RequestScoped
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class AdminAuditResource {

  @Inject AuditService audit;

  @GET
  public String list(
      @QueryParam("type") String type,
      @QueryParam("subject") String subject,
      @QueryParam("outcome") String outcome,
      @QueryParam("since") String since,
      @QueryParam("until") String until,
      @QueryParam("offset") String offset,
      @QueryParam("limit") String limit) {
    var filter =
        new AuditQuery(
            type == null || type.isBlank() ? null : constant(AuditEventType.class, type, "type"),
            subject == null || subject.isBlank() ? null : subject,
            outcome == null || outcome.isBlank()
                ? null
                : constant(AuditRecord.Outcome.class, outcome, "outcome"),
            instant(since, "since"),
            instant(until, "until"));
    int from = whole(offset, 0);
    int size = whole(limit, 50);
    if (from < 0 || size < 1 || size > 500) {
      throw ProblemException.validation("offset must be >= 0 and limit 1..500");
    }
    var items = JsonFactory.createArrayBuilder();
    audit.list(filter, from, size).forEach(e -> items.add(view(e)));
    return JsonFactory.createObjectBuilder()
        .add("items", items)
        .add("offset", from)
        .add("limit", size)
        .add("total", audit.count(filter))
        .build()
        .toString();
  }

  @POST
  @Path("verify")
  public String verify() {
    var report = audit.verify();
    var json = JsonFactory.createObjectBuilder().add("intact", report.broken().isEmpty());
    report.broken().ifPresent(b -> json.add("first_broken_id", b.id()).add("reason", b.reason()));
    return json.add("checked", report.checked())
        .add("unchained", report.unchained())
        .build()
        .toString();
  }

  static JsonObject view(AuditEvent e) {
    var json =
        JsonFactory.createObjectBuilder()
            .add("id", e.id())
            .add("time", e.occurredAt().toString())
            .add("type", e.type())
            .add("outcome", e.outcome());
    nullable(json, "reason", e.reason());
    nullable(json, "subject", e.subject());
    nullable(json, "actor", e.actor());
    nullable(json, "client_ip", e.clientIp());
    nullable(json, "user_agent", e.userAgent());
    nullable(json, "request_id", e.requestId());
    nullable(json, "detail", e.detail());
    nullable(json, "previous_hash", e.previousHash());
    nullable(json, "record_hash", e.recordHash());
    return json.build();
  }

  private static void nullable(JsonObjectBuilder json, String name, String value) {
    if (value == null) {
      json.addNull(name);
    } else {
      json.add(name, value);
    }
  }

  private static <E extends Enum<E>> E constant(Class<E> type, String value, String name) {
    try {
      return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ProblemException.validation(name + " is not a known value");
    }
  }

  /**
   * ISO-8601 with an offset ({@code 2024-05-01T10:00:00Z} or {@code ...+02:00}); null if absent.
   */
  private static Instant instant(String value, String name) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value.strip()).toInstant();
    } catch (DateTimeParseException e) {
      throw ProblemException.validation(name + " must be an ISO-8601 time with an offset");
    }
  }

  private static int whole(String value, int fallback) {
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw ProblemException.validation("offset and limit must be whole numbers");
    }
  }
}
