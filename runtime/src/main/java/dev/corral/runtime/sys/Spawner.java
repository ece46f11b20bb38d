package dev.corral.runtime.sys;

import static dev.corral.runtime.sys.Errno.checkZero;
import static dev.corral.runtime.sys.SpawnCalls.LIB;

import dev.corral.core.CorralException;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.byref.IntByReference;

/**
 * Starts a child process with glibc's posix_spawn and exactly the file descriptors the caller
 * names: each {@code childFd -> parentFd} entry of the fd map is dup2'ed, stdin, stdout and stderr
 * go to /dev/null unless mapped, and every fd above the highest mapped one is closed in the child
 * (closefrom), so no JVM fd (jars, sockets, /dev/random) leaks into it. The signal mask is emptied
 * and every signal disposition reset, since JVM threads block and ignore some.
 *
 * <p>Stateless; any thread may spawn and wait. The caller owns the returned pid and must reap it
 * with {@link #waitpid} or {@link #await}, or let it be reparented (conmon double-forks).
 */
public final class Spawner {
  private static final int STDERR = 2;
  private static final long INTERRUPT_CHECK_NANOS = 250_000_000L;

  private Spawner() {}

  /**
   * Spawns {@code argv[0]} (an absolute path; PATH is not searched) with {@code argv} and exactly
   * the environment {@code env}, in {@code cwd}.
   *
   * @param fdMap child fd -> parent fd; parent fds may carry O_CLOEXEC (dup2 clears it)
   * @return the child's pid
   * @throws CorralException internal, naming the binary and the error text of the failed call (an
   *     exec failure such as ENOENT is reported here, not by a dead child)
   */
  public static int spawn(
      List<String> argv, Map<String, String> env, Path cwd, Map<Integer, Integer> fdMap) {
    if (argv.isEmpty() || !argv.get(0).startsWith("/")) {
      throw CorralException.invalidArgument("spawn: argv[0] must be an absolute path: %s", argv);
    }
    Pointer actions = fileActions(new TreeMap<>(fdMap), cwd);
    try {
      Pointer attr = attributes();
      try {
        return doSpawn(argv, env, actions, attr);
      } finally {
        LIB.posix_spawnattr_destroy(attr);
      }
    } finally {
      LIB.posix_spawn_file_actions_destroy(actions);
    }
  }

  /** Blocks until {@code pid} (a child of this JVM) ends; returns how it ended. */
  public static ExitStatus waitpid(int pid) {
    return waitpid(pid, 0).orElseThrow();
  }

  /**
   * Waits for {@code pid} (an unreaped child of this JVM) on a pidfd with poll, then reaps it: no
   * thread per child as Process.waitFor needs, and the wakeup comes straight from the kernel. Empty
   * when the deadline ({@link System#nanoTime} based) passes first, or when the waiting thread is
   * interrupted (the flag stays set): the child then still runs, and the caller owns it.
   */
  public static Optional<ExitStatus> await(int pid, long deadlineNanos) {
    int fd = Pidfd.open(pid);
    if (fd == Pidfd.NO_PROCESS) {
      // An unreaped child keeps its pid (a zombie has a pidfd too): someone else reaped it.
      throw CorralException.internal(null, "wait for pid %d: not a child of ours", pid);
    }
    try {
      while (!Thread.currentThread().isInterrupted()) {
        // Short slices only so that an interrupt is seen; an exit ends the poll at once.
        long slice = Math.min(deadlineNanos - System.nanoTime(), INTERRUPT_CHECK_NANOS);
        if (Pidfd.awaitExit(fd, System.nanoTime() + slice)) {
          return Optional.of(waitpid(pid));
        }
        if (deadlineNanos - System.nanoTime() <= 0) {
          return Optional.empty();
        }
      }
      return Optional.empty();
    } finally {
      Fds.close(fd);
    }
  }

  /**
   * SIGKILLs {@code pid} (an unreaped child of this JVM, so the pid cannot have been reused) and
   * reaps it.
   */
  public static ExitStatus killAndReap(int pid) {
    Pidfd.kill(pid, Pidfd.SIGKILL);
    return waitpid(pid);
  }

  private static Optional<ExitStatus> waitpid(int pid, int options) {
    IntByReference status = new IntByReference();
    while (true) {
      int r = LIB.waitpid(pid, status, options);
      if (r == pid) {
        return Optional.of(new ExitStatus(status.getValue()));
      }
      if (r == 0) {
        return Optional.empty();
      }
      Errno.retryOnlyOnEintr("waitpid " + pid);
    }
  }

  private static int doSpawn(
      List<String> argv, Map<String, String> env, Pointer actions, Pointer attr) {
    CStrings args = new CStrings(argv);
    CStrings envp =
        new CStrings(env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    IntByReference pid = new IntByReference();
    int errno = LIB.posix_spawn(pid, argv.get(0), actions, attr, args.array, envp.array);
    // The strings must stay allocated until glibc has copied them into the child.
    Reference.reachabilityFence(args);
    Reference.reachabilityFence(envp);
    checkZero(errno, "spawn " + argv.get(0));
    return pid.getValue();
  }

  /**
   * dup2 in two steps so that mappings may cross (child 3 <- parent 4, child 4 <- parent 3): each
   * parent fd is first copied above every fd involved, then down to its child number. The copies
   * are then closed by closefrom, which starts right above the highest child fd.
   */
  private static Pointer fileActions(TreeMap<Integer, Integer> fdMap, Path cwd) {
    Pointer fa = allocate();
    checkZero(LIB.posix_spawn_file_actions_init(fa), "posix_spawn_file_actions_init");
    try {
      addActions(fa, fdMap, cwd);
      return fa;
    } catch (CorralException e) {
      LIB.posix_spawn_file_actions_destroy(fa); // frees glibc's action list
      throw e;
    }
  }

  private static void addActions(Pointer fa, TreeMap<Integer, Integer> fdMap, Path cwd) {
    int highestChild = Math.max(STDERR, fdMap.isEmpty() ? 0 : fdMap.lastKey());
    int scratch = Math.max(highestChild, fdMap.values().stream().reduce(0, Math::max)) + 1;
    List<Integer> children = new ArrayList<>(fdMap.keySet());
    for (int i = 0; i < children.size(); i++) {
      add(LIB.posix_spawn_file_actions_adddup2(fa, fdMap.get(children.get(i)), scratch + i));
    }
    for (int i = 0; i < children.size(); i++) {
      add(LIB.posix_spawn_file_actions_adddup2(fa, scratch + i, children.get(i)));
    }
    devNullForUnmappedStdio(fa, fdMap);
    add(LIB.posix_spawn_file_actions_addclosefrom_np(fa, highestChild + 1));
    add(LIB.posix_spawn_file_actions_addchdir_np(fa, cwd.toString()));
  }

  private static void devNullForUnmappedStdio(Pointer fa, Map<Integer, Integer> fdMap) {
    for (int fd = 0; fd <= STDERR; fd++) {
      if (!fdMap.containsKey(fd)) {
        int flags = fd == 0 ? FdCalls.O_RDONLY : FdCalls.O_WRONLY;
        add(LIB.posix_spawn_file_actions_addopen(fa, fd, "/dev/null", flags, 0));
      }
    }
  }

  private static void add(int errno) {
    checkZero(errno, "posix_spawn_file_actions_add");
  }

  private static Pointer attributes() {
    Pointer attr = allocate();
    checkZero(LIB.posix_spawnattr_init(attr), "posix_spawnattr_init");
    Pointer empty = allocate();
    Pointer all = allocate();
    Errno.check(LIB.sigemptyset(empty), "sigemptyset");
    Errno.check(LIB.sigfillset(all), "sigfillset");
    short flags = SpawnCalls.POSIX_SPAWN_SETSIGMASK | SpawnCalls.POSIX_SPAWN_SETSIGDEFAULT;
    checkZero(LIB.posix_spawnattr_setflags(attr, flags), "posix_spawnattr_setflags");
    checkZero(LIB.posix_spawnattr_setsigmask(attr, empty), "posix_spawnattr_setsigmask");
    checkZero(LIB.posix_spawnattr_setsigdefault(attr, all), "posix_spawnattr_setsigdefault");
    return attr;
  }

  private static Pointer allocate() {
    return Memory.allocateDirect(SpawnCalls.RUNTIME, SpawnCalls.OPAQUE_SIZE, true);
  }

  /** A NULL-terminated {@code char *[]} whose strings live as long as this object. */
  private static final class CStrings {
    final Pointer array;
    private final List<Pointer> strings = new ArrayList<>();

    CStrings(List<String> values) {
      int width = SpawnCalls.RUNTIME.addressSize();
      array = Memory.allocateDirect(SpawnCalls.RUNTIME, (values.size() + 1) * width, true);
      for (int i = 0; i < values.size(); i++) {
        byte[] bytes = values.get(i).getBytes(StandardCharsets.UTF_8);
        Pointer s = Memory.allocateDirect(SpawnCalls.RUNTIME, bytes.length + 1, true);
        s.put(0, bytes, 0, bytes.length);
        strings.add(s);
        array.putPointer((long) i * width, s);
      }
    }
  }
}
