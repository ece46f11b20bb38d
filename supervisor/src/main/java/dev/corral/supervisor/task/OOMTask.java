package dev.corral.supervisor.task;

/**
 * The monitor confirmed an OOM kill in a container's memory cgroup (the kernel's oom_kill count
 * rose, or conmon left its oom file). Published before the exit the kill caused.
 */
public record OOMTask(String containerId) implements Notification {}
