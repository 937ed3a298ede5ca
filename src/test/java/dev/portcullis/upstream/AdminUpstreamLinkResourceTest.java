package dev.portcullis.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The JSON an administrator gets for a user's links. */
class AdminUpstreamLinkResourceTest {

  private static final Instant LINKED = Instant.parse("2026-11-02T10:15:00Z");

  @Test
  void listsEachLinkWithItsKeyAndTimesAsIsoInstants() throws Exception {
    var user = UUID.randomUUID();
    var link =
        new UpstreamLink(
            user,
            "google",
            new UpstreamIdentity(
                "https://accounts.google.com", "1098765", "a@example.org", true, "a", "A"),
            LINKED);
    var json = AdminUpstreamLinkResource.view(List.of(link));
    var items = json.getJsonArray("links");
    assertThat(items).hasSize(1);
    var item = items.getJsonObject(0);
    assertThat(item.keySet())
        .containsExactlyInAnyOrder(
            "id", "provider", "issuer", "subject", "email", "linked_at", "last_used_at");
    assertThat(item.getString("id")).isEqualTo(link.id().toString());
    assertThat(item.getString("provider")).isEqualTo("google");
    assertThat(item.getString("issuer")).isEqualTo("https://accounts.google.com");
    assertThat(item.getString("subject")).isEqualTo("1098765");
    assertThat(item.getString("email")).isEqualTo("a@example.org");
    assertThat(item.getString("linked_at")).isEqualTo("2026-11-02T10:15:00Z");
    assertThat(item.getString("last_used_at")).isEqualTo("2026-11-02T10:15:00Z");
    assertThat(json.toString()).doesNotContain(user.toString());
  }

  @Test
  void absentValuesAreNullAndTheListMayBeEmpty() throws Exception {
    var link =
        new UpstreamLink(
            UUID.randomUUID(),
            "github",
            new UpstreamIdentity("https://github.com", "42", null, false, "octo", null),
            LINKED);
    var lastUsed = UpstreamLink.class.getDeclaredField("lastUsedAt");
    lastUsed.setAccessible(true);
    lastUsed.set(link, null);
    var item = AdminUpstreamLinkResource.view(List.of(link)).getJsonArray("links").getJsonObject(0);
    assertThat(item.get("email")).isEqualTo(JsonValue.NULL);
    assertThat(item.get("last_used_at")).isEqualTo(JsonValue.NULL);
    assertThat(AdminUpstreamLinkResource.view(List.of()).toString()).isEqualTo("{\"links\":[]}");
  }
}
