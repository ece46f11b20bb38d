package dev.corral.supervisor.task;

/**
 * One checkpoint of a container: its name, the image dir (what {@code checkpoint} of a create
 * takes) and when it was written. Immutable.
 */
public record CheckpointView(String name, String path, String createdAt) {}
