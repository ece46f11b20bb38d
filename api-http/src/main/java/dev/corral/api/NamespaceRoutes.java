package dev.corral.api;

import dev.corral.core.Namespaces;
import dev.corral.supervisor.task.DeleteNamespaceTask;
import dev.corral.supervisor.task.ListNamespacesTask;
import dev.corral.supervisor.thread.Reply;

/**
 * {@code GET /v1/namespaces} (every namespace with its counts) and {@code DELETE
 * /v1/namespaces/{ns}} (204 when it was empty, 409 otherwise).
 *
 * <p>Stateless beyond its collaborators; thread-safe.
 */
final class NamespaceRoutes {
  private final Replies replies;

  NamespaceRoutes(Replies replies) {
    this.replies = replies;
  }

  void register(Router r) {
    r.add("GET", "/v1/namespaces", this::list).add("DELETE", "/v1/namespaces/{ns}", this::delete);
  }

  private void list(Exchange x) {
    ListNamespacesTask t = new ListNamespacesTask(new Reply<>());
    replies.submit(x, t, t.reply(), Replies.DEFAULT_DEADLINE, v -> x.json(200, v));
  }

  private void delete(Exchange x) {
    String ns = Namespaces.require("namespace", x.path("ns"));
    DeleteNamespaceTask t = new DeleteNamespaceTask(ns, new Reply<>());
    replies.submit(x, t, t.reply(), Replies.DEFAULT_DEADLINE, v -> x.noContent());
  }
}
