package dev.corral.supervisor.event;

import dev.corral.core.CorralException;

/**
 * Event types, with containerd v0.2's wire names. {@link #LIVE} and {@link #LAGGED} are stream
 * markers, never stored.
 */
public enum EventType {
  START_CONTAINER("start-container"),
  START_PROCESS("start-process"),
  EXIT("exit"),
  OOM("oom"),
  PAUSE("pause"),
  RESUME("resume"),
  UPDATE("update"),
  DELETE("delete"),
  CHECKPOINT("checkpoint"),
  /** A user's stop ended in the container's exit (after its {@code exit} event). */
  STOP("stop"),
  /**
   * The restart policy ran a container again: {@code status} holds its restart count (on the wire:
   * {@code restartCount}); {@code reason} is set when the restart failed.
   */
  RESTART("restart"),
  /**
   * Journaled events were lost (damage found at start, or a full disk): {@code lost} says which.
   */
  JOURNAL_DAMAGED("journal-damaged"),
  /**
   * A container whose records were found damaged at start was kept, not removed: {@code status} is
   * absent, {@code reason} says what was damaged and whether it was rebuilt or is now unknown.
   */
  RECOVERED("recovered"),
  /** A container directory that cannot run was moved to quarantine at start; {@code reason} why. */
  QUARANTINE("quarantine"),
  /** A pod was made; its sandbox is being started ({@code pod}: its uid, no {@code id}). */
  POD_CREATE("pod-create"),
  /** A pod's sandbox runs: its containers can be created. */
  POD_READY("pod-ready"),
  /** A pod's sandbox is gone: its containers were killed ({@code reason} says why). */
  POD_NOTREADY("pod-notready"),
  /** A pod, its containers and its sandbox were removed. */
  POD_DELETE("pod-delete"),
  LIVE("live"),
  LAGGED("lagged");

  private final String wireName;

  EventType(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** The type with wire name {@code wire}, markers included (journal records). */
  public static EventType fromWire(String wire) {
    for (EventType t : values()) {
      if (t.wireName.equals(wire)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown event type " + wire);
  }

  /** Parses a wire name given in request field {@code field}; markers are not accepted. */
  public static EventType parse(String field, String wire) {
    for (EventType t : values()) {
      if (t.wireName.equals(wire) && t != LIVE && t != LAGGED) {
        return t;
      }
    }
    throw CorralException.invalidArgument("%s: unknown event type \"%s\"", field, wire);
  }
}
