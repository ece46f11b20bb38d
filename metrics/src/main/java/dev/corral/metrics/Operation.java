package dev.corral.metrics;

import java.util.Locale;

/**
 * The operations the loop and the workers time, one Prometheus summary each ({@code
 * corral_container_<op>_seconds}, with {@code _count} and {@code _sum}). Adding an operation is one
 * constant here and one {@code metrics.operation(Operation.X).time(...)} around its work; every
 * operation is exported from the start, at zero until it first runs, so {@code rate()} works.
 *
 * <p>Immutable.
 */
public enum Operation {
  CREATE("Time to create a container: conmon and runc create, up to its init's pid."),
  START("Time of runc start."),
  EXEC("Time to start an exec: conmon and runc exec, up to the process's pid."),
  SIGNAL("Time of runc kill."),
  PAUSE("Time of runc pause."),
  RESUME("Time of runc resume."),
  UPDATE("Time of runc update of a container's resources."),
  STATS("Time to read one container's cgroup statistics."),
  CHECKPOINT("Time of runc checkpoint."),
  DELETE("Time of runc delete and the removal of a container's state."),
  EXIT("Time the loop spent recording a container's exit.");

  private final String help;

  Operation(String help) {
    this.help = help;
  }

  /** The Prometheus family, {@code corral_container_<op>_seconds}. */
  public String metricName() {
    return "corral_container_" + name().toLowerCase(Locale.ROOT) + "_seconds";
  }

  /** The family's HELP text. */
  public String help() {
    return help;
  }
}
