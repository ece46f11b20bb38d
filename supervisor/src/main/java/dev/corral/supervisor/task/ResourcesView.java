package dev.corral.supervisor.task;

/**
 * A container's resource limits as the API shows them, in the one shape create and {@code PATCH
 * .../resources} take (OCI {@code LinuxResources} names): what was applied, at create and by later
 * updates. A group without a limit is null (left out of the JSON).
 *
 * <p>Immutable.
 */
public record ResourcesView(Memory memory, Cpu cpu, Pids pids) {
  /** {@code memory.limit} in bytes. */
  public record Memory(Long limit) {}

  /** {@code cpu.shares}, {@code cpu.quota} and {@code cpu.period} (microseconds). */
  public record Cpu(Long shares, Long quota, Long period) {}

  /** {@code pids.limit}; -1 is unlimited. */
  public record Pids(Long limit) {}

  public static final ResourcesView NONE = new ResourcesView(null, null, null);

  /** The view of these values; a group whose values are all null is left out. */
  public static ResourcesView of(
      Long memoryLimit, Long cpuShares, Long cpuQuota, Long cpuPeriod, Long pidsLimit) {
    boolean cpu = cpuShares != null || cpuQuota != null || cpuPeriod != null;
    return new ResourcesView(
        memoryLimit == null ? null : new Memory(memoryLimit),
        cpu ? new Cpu(cpuShares, cpuQuota, cpuPeriod) : null,
        pidsLimit == null ? null : new Pids(pidsLimit));
  }

  /** These limits with {@code c} applied over them (its null fields leave a value as it is). */
  public ResourcesView with(ResourceChange c) {
    return of(
        pick(c.memory(), memory == null ? null : memory.limit()),
        pick(c.cpuShares(), cpu == null ? null : cpu.shares()),
        pick(c.cpuQuota(), cpu == null ? null : cpu.quota()),
        pick(c.cpuPeriod(), cpu == null ? null : cpu.period()),
        pick(c.pids(), pids == null ? null : pids.limit()));
  }

  private static Long pick(Long changed, Long was) {
    return changed != null ? changed : was;
  }
}
