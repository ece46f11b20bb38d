package dev.corral.supervisor.task;

/**
 * One namespace as {@code GET /v1/namespaces} lists it. Immutable.
 *
 * @param containers how many containers it holds, being created or deleted included
 * @param pods how many pods it holds
 */
public record NamespaceView(String name, int containers, int pods) {}
