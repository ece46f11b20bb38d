package dev.corral.metrics;

import java.util.Locale;

/**
 * The operations the loop and the workers time, one Prometheus summary each ({@code
 * corral_container_<op>_seconds}). Adding an operation is one constant here and one {@code
 * metrics.operation(Operation.X).time(...)} around its work; the catalog registers the timer on
 * first use, so an operation nobody has implemented yet does not show up as a flat zero.
 *
 * <p>Immutable.
 */
public enum Operation {
  CREATE,
  START,
  EXEC,
  SIGNAL,
  PAUSE,
  RESUME,
  UPDATE,
  STATS,
  CHECKPOINT,
  DELETE,
  /** Handling of an exit on the loop. */
  EXIT;

  /** The Dropwizard name, which the bridge turns into {@code corral_container_<op>_seconds}. */
  public String dropwizardName() {
    return "corral.container." + name().toLowerCase(Locale.ROOT) + ".seconds";
  }
}
