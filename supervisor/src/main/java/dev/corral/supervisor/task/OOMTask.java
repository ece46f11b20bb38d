package dev.corral.supervisor.task;

import dev.corral.core.ContainerRef;

/**
 * The monitor confirmed an OOM kill in a container's memory cgroup (the kernel's oom_kill count
 * rose, or conmon left its oom file). Published before the exit the kill caused. Handled by {@link
 * dev.corral.supervisor.exit.OOMHandler}.
 */
public record OOMTask(ContainerRef id) implements Notification {}
