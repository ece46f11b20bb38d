package dev.corral.runtime;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runc command line, one method per verb. Every call runs {@code runc --root R --log-format
 * json --log /proc/self/fd/3 VERB ...} with a timeout, its fd 3 a memfd of ours (no temp file); on
 * a non-zero exit the last "msg" of that log becomes the message of a {@link CorralException}
 * classified by {@link RuncErrors}.
 *
 * <p>Immutable and thread-safe: each call has its own child and log memfd.
 */
public final class Runc {
  private static final Logger LOG = LoggerFactory.getLogger(Runc.class);
  private static final Gson GSON = new Gson();

  private final Path binary;
  private final Function<String, Path> roots;
  private final Duration timeout;

  /** Options of {@code runc kill}; flags precede the positional arguments. */
  record KillOpts(int signal, boolean all) {
    List<String> args(String id) {
      List<String> a = new ArrayList<>();
      if (all) {
        a.add("--all");
      }
      a.add(id);
      a.add(Integer.toString(signal));
      return a;
    }
  }

  /** Options of {@code runc delete}. */
  record DeleteOpts(boolean force) {
    List<String> args(String id) {
      return force ? List.of("--force", id) : List.of(id);
    }
  }

  /**
   * @param binary the runc executable
   * @param roots runc's state root ({@code --root}) of each namespace, private to this daemon
   * @param timeout how long one call may take before it is killed
   */
  public Runc(Path binary, Function<String, Path> roots, Duration timeout) {
    this.binary = binary;
    this.roots = roots;
    this.timeout = timeout;
  }

  /** {@code runc start ID}. */
  public void start(ContainerRef id) {
    run(id, "start", List.of(id.id()));
  }

  /** {@code runc kill [--all] ID SIGNAL}. */
  public void kill(ContainerRef id, int signal, boolean all) {
    run(id, "kill", new KillOpts(signal, all).args(id.id()));
  }

  /** {@code runc pause ID}: freezes every process of the container. */
  public void pause(ContainerRef id) {
    run(id, "pause", List.of(id.id()));
  }

  /** {@code runc resume ID}: thaws a paused container. */
  public void resume(ContainerRef id) {
    run(id, "resume", List.of(id.id()));
  }

  /** {@code runc update --memory N ... ID}: changes cgroup limits of a live container. */
  public void update(ContainerRef id, ResourceUpdate r) {
    run(id, "update", r.args(id.id()));
  }

  /**
   * {@code runc checkpoint} into {@code imageDir} (also CRIU's work dir, so its dump.log stays
   * beside the images). A CRIU failure keeps runc's message and adds CRIU's own reason from the
   * log; it is failed_precondition: the host cannot checkpoint, the container is as it was.
   */
  public void checkpoint(ContainerRef id, Path imageDir, CheckpointOptions options) {
    try {
      run(id, "checkpoint", options.args(imageDir, id.id()));
    } catch (CorralException e) {
      String reason = CriuLog.reason(imageDir.resolve("dump.log"));
      String first = Exec.firstLine(e.getMessage());
      throw reason == null
          ? new CorralException(ErrorKind.FAILED_PRECONDITION, first, e)
          : CorralException.failedPrecondition("%s; criu: %s", first, reason);
    }
  }

  /** {@code runc delete [--force] ID}; a container runc does not know is not an error. */
  public void delete(ContainerRef id, boolean force) {
    try {
      run(id, "delete", new DeleteOpts(force).args(id.id()));
    } catch (CorralException e) {
      if (e.kind() != ErrorKind.NOT_FOUND) {
        throw e;
      }
    }
  }

  /** {@code runc state ID}, or empty when runc does not know the container. */
  public Optional<RuncState> state(ContainerRef id) {
    try {
      return Optional.of(parseState(id.id(), run(id, "state", List.of(id.id()))));
    } catch (CorralException e) {
      if (e.kind() == ErrorKind.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** The first line of {@code runc --version}. */
  public String version() {
    Exec.Result r = Exec.run("runc --version", List.of(binary.toString(), "--version"), timeout);
    if (r.exitCode() != 0) {
      throw CorralException.internal(null, "runc --version: %s", r.stderr().strip());
    }
    return Exec.firstLine(r.stdout());
  }

  /** The whole argv of one call: global options, then the verb and its arguments. */
  List<String> argv(Path root, String verb, List<String> args) {
    List<String> argv = new ArrayList<>(List.of(binary.toString(), "--root", root.toString()));
    argv.addAll(List.of("--log-format", "json", "--log", Exec.FD3, verb));
    argv.addAll(args);
    return argv;
  }

  /** Runs one verb; returns its stdout or throws with runc's message. */
  private String run(ContainerRef id, String verb, List<String> args) {
    List<String> argv = argv(roots.apply(id.namespace()), verb, args);
    LOG.debug("{}", argv);
    Exec.Result r =
        Exec.runWithFd3(String.format("container %s: runc %s", id, verb), argv, timeout);
    if (r.exitCode() != 0) {
      String msg = RuncErrors.lastMessage(r.fd3(), r.stderr(), r.exitCode());
      throw RuncErrors.of(id.toString(), verb, msg);
    }
    return r.stdout();
  }

  /** The fields of {@code runc state} output that {@link RuncState} keeps. */
  private record StateJson(String id, String status, Integer pid, String created) {}

  private static RuncState parseState(String id, String json) {
    StateJson s;
    try {
      s = GSON.fromJson(json, StateJson.class);
    } catch (JsonParseException e) {
      s = null;
    }
    if (s == null || s.id() == null || s.status() == null || s.pid() == null) {
      throw CorralException.internal(null, "container %s: runc state: unreadable: %s", id, json);
    }
    return new RuncState(s.id(), s.status(), s.pid(), s.created());
  }
}
