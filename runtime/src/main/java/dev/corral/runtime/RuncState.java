package dev.corral.runtime;

/**
 * What {@code runc state ID} reports.
 *
 * @param status runc's status word: creating, created, running, paused, stopped
 * @param pid the init pid (0 when stopped)
 */
public record RuncState(String id, String status, int pid) {}
