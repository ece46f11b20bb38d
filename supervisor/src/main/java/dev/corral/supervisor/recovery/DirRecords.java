package dev.corral.supervisor.recovery;

import dev.corral.core.ContainerRef;
import dev.corral.state.ContainerRecord;
import dev.corral.state.ShimRecord;
import dev.corral.state.StateDir;
import dev.corral.state.StatusRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The three records of one container directory, each read on its own so that one damaged file does
 * not hide what the others say. A file that is there but unreadable, invalid, names another
 * container or holds a time that does not parse is damaged; its value is then null and {@link
 * #damage} says why.
 *
 * @param meta {@code container.json}, or null when absent or damaged
 * @param metaAbsent no {@code container.json} at all: a create was interrupted before writing it
 * @param shim {@code shim.json}, or null when absent or damaged
 * @param shimAbsent no {@code shim.json} at all: the start never got past runc create
 * @param status {@code status.json}, empty when absent or damaged (it is only a hint)
 * @param damaged which files are damaged (file names)
 * @param damage what was wrong with them (and whether container.json is absent), for the log and
 *     the events
 */
record DirRecords(
    ContainerRef id,
    ContainerRecord meta,
    boolean metaAbsent,
    ShimRecord shim,
    boolean shimAbsent,
    Optional<StatusRecord> status,
    List<String> damaged,
    String damage) {

  /**
   * Reads the records of container {@code id}; never throws. Blocking (files). A metadata record
   * from before namespaces gets its namespace from its directory and its cgroup from {@code
   * cgroupParent}, where runc put it then ({@code PARENT/ID}).
   */
  static DirRecords read(StateDir state, ContainerRef id, String cgroupParent) {
    List<String> damaged = new ArrayList<>();
    List<String> why = new ArrayList<>();
    ContainerRecord meta = null;
    boolean metaAbsent = !Files.exists(state.paths(id).metadata());
    if (metaAbsent) {
      why.add("container.json: absent");
    } else {
      try {
        meta = checkedMeta(state.readMetadata(id), id, cgroupParent);
      } catch (IOException | RuntimeException e) {
        damaged.add("container.json");
        why.add("container.json: " + e.getMessage());
      }
    }
    ShimRecord shim = null;
    boolean shimAbsent = false;
    try {
      Optional<ShimRecord> s = state.readShim(id);
      shimAbsent = s.isEmpty();
      shim = s.orElse(null);
    } catch (IOException | RuntimeException e) {
      damaged.add("shim.json");
      why.add("shim.json: " + e.getMessage());
    }
    Optional<StatusRecord> status = Optional.empty();
    try {
      status = state.readStatusIfAny(id).map(DirRecords::checkedStatus);
    } catch (IOException | RuntimeException e) {
      damaged.add("status.json");
      why.add("status.json: " + e.getMessage());
    }
    return new DirRecords(
        id, meta, metaAbsent, shim, shimAbsent, status, damaged, String.join("; ", why));
  }

  private static ContainerRecord checkedMeta(ContainerRecord m, ContainerRef id, String parent)
      throws IOException {
    if (!id.equals(m.ref())) {
      throw new IOException("names container " + m.namespace() + "/" + m.id());
    }
    parseTime("createdAt", m.createdAt());
    return new ContainerRecord(
        m.id(),
        m.bundle(),
        m.labels(),
        m.stdin(),
        m.terminal(),
        m.runtimeArgs(),
        m.createdAt(),
        m.namespace(),
        m.cgroupsPath(parent));
  }

  private static StatusRecord checkedStatus(StatusRecord s) {
    if (s.status() == null) {
      throw new IllegalArgumentException("no status");
    }
    parseTime("startedAt", s.startedAt());
    parseTime("exitedAt", s.exitedAt());
    return s;
  }

  private static void parseTime(String field, String value) {
    if (value == null) {
      return;
    }
    try {
      Instant.parse(value);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
    }
  }

  /** Nothing damaged (files may still be absent). */
  boolean sound() {
    return damaged.isEmpty();
  }

  /** Only the status hint is damaged: the durable records decide alone. */
  boolean onlyStatusDamaged() {
    return damaged.equals(List.of("status.json"));
  }
}
