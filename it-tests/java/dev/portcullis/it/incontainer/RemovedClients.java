package dev.portcullis.it.incontainer;

import dev.portcullis.oauth.client.ClientRemoved;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every {@link ClientRemoved} event, for in-container tests. Thread-safe. */
@ApplicationScoped
public class RemovedClients {

  private final List<String> ids = new CopyOnWriteArrayList<>();

  void on(@Observes ClientRemoved removed) {
    ids.add(removed.clientId());
  }

  public List<String> ids() {
    return List.copyOf(ids);
  }
}
