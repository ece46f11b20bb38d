package dev.corral.supervisor.task;

import dev.corral.core.CorralException;
import dev.corral.supervisor.CheckpointView;

/** A worker finished a checkpoint: {@code view} on success, else {@code error}. */
public record CheckpointResultTask(String id, CheckpointView view, CorralException error)
    implements Notification {}
