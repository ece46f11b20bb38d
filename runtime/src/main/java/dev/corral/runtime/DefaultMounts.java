package dev.corral.runtime;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;

/**
 * The mounts of {@code runc spec} 1.1's default spec, in its order: proc, a tmpfs /dev with devpts,
 * shm and mqueue, a read-only sysfs and cgroup.
 *
 * <p>Stateless; usable from any thread (each call builds new JSON).
 */
final class DefaultMounts {
  private static final List<String> NO_SUID_EXEC_DEV = List.of("nosuid", "noexec", "nodev");

  private DefaultMounts() {}

  static JsonArray all() {
    JsonArray a = new JsonArray();
    a.add(mount("/proc", "proc", "proc", List.of()));
    a.add(
        mount(
            "/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")));
    a.add(
        mount(
            "/dev/pts",
            "devpts",
            "devpts",
            List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")));
    a.add(mount("/dev/shm", "tmpfs", "shm", with(NO_SUID_EXEC_DEV, "mode=1777", "size=65536k")));
    a.add(mount("/dev/mqueue", "mqueue", "mqueue", NO_SUID_EXEC_DEV));
    a.add(mount("/sys", "sysfs", "sysfs", with(NO_SUID_EXEC_DEV, "ro")));
    a.add(mount("/sys/fs/cgroup", "cgroup", "cgroup", with(NO_SUID_EXEC_DEV, "relatime", "ro")));
    return a;
  }

  private static List<String> with(List<String> base, String... more) {
    List<String> out = new java.util.ArrayList<>(base);
    out.addAll(List.of(more));
    return out;
  }

  private static JsonObject mount(String dest, String type, String source, List<String> opts) {
    JsonObject m = new JsonObject();
    m.addProperty("destination", dest);
    m.addProperty("type", type);
    m.addProperty("source", source);
    if (!opts.isEmpty()) {
      m.add("options", Specs.strings(opts));
    }
    return m;
  }
}
