package dev.corral.supervisor.pod;

/**
 * A pod's cached status and the time it is known good as of: unix nanoseconds, the later of its
 * last change and the cache's global timestamp (see {@link PodStatusCache}). The API's {@code
 * timestamp} field, and what a client sends back as {@code newerThan}. Immutable.
 */
public record StampedStatus<S>(S status, long timestamp) {}
