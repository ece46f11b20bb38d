package dev.corral.supervisor.task;

import java.util.List;

/**
 * A snapshot of one process of a container (its init or an exec), taken on the loop. Immutable.
 *
 * @param id "init" or the exec id
 * @param pid host pid while it runs, else 0
 * @param status creating, running, paused (the init of a paused container), stopped
 * @param args the exec's command; null for the init
 * @param exitCode once stopped, else null
 */
public record ProcessView(
    String id,
    int pid,
    String status,
    List<String> args,
    boolean terminal,
    Integer exitCode,
    String exitedAt) {}
