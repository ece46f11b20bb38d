package dev.corral.supervisor.task;

/**
 * A process's stdio, connected: what an {@link AttachTask} answers with. Output comes in chunks,
 * each from one stream; input goes to the process's stdin. It hides conmon's attach socket and its
 * packet format, so the API never sees the runtime.
 *
 * <p>One reader thread and one writer thread may use it at once; {@link #shutdownInput} and {@link
 * #close} may be called from any thread, and close only once.
 */
public interface AttachChannel extends AutoCloseable {
  /** The most bytes one {@link #read} returns, and a sensible size for one {@link #write}. */
  int MAX_CHUNK = 8192;

  /**
   * One chunk of the process's output.
   *
   * @param stderr true when the process wrote it to stderr, else stdout
   */
  record Output(boolean stderr, byte[] data) {}

  /**
   * Blocks for the next chunk.
   *
   * @return null once the process has closed its output (it exited) or {@link #shutdownInput} ran
   */
  Output read();

  /** Sends bytes to the process's stdin. */
  void write(byte[] data, int offset, int length);

  /** The client is done writing: the process's stdin is closed. */
  void shutdownOutput();

  /** Wakes a thread blocked in {@link #read}, which then sees the end. */
  void shutdownInput();

  @Override
  void close();
}
