package dev.corral.runtime;

import dev.corral.core.CorralException;
import dev.corral.runtime.sys.SeqPacket;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A connected {@code AF_UNIX SOCK_SEQPACKET} socket, which the JDK cannot open: conmon's attach
 * socket is one. Each packet conmon sends is one byte of stream id (2 stdout, 3 stderr) and the
 * data; what we send goes to the container's stdin (with {@code -i}); {@link #shutdownOutput}
 * closes that stdin. The calls themselves are {@link SeqPacket}'s.
 *
 * <p>One thread may receive while another sends or shuts down; {@link #close} must come last, after
 * both are done (a shutdown wakes a blocked receive first).
 */
public final class SeqPacketSocket implements AutoCloseable {
  private static final String WHAT = "attach socket";

  /** conmon reads stdin packets into a buffer of this size; larger packets would be cut. */
  public static final int MAX_PACKET = 8192;

  private final int fd;

  private SeqPacketSocket(int fd) {
    this.fd = fd;
  }

  /**
   * Connects to the socket at {@code path}.
   *
   * @throws CorralException not_found when nothing listens there, internal otherwise
   */
  public static SeqPacketSocket connect(Path path) {
    return new SeqPacketSocket(SeqPacket.connect(path, WHAT));
  }

  /** Receives one packet into {@code buf}; returns its length, 0 at end of stream. */
  public int receive(byte[] buf) {
    return SeqPacket.receive(fd, buf, WHAT);
  }

  /** Sends {@code data} in packets of at most {@link #MAX_PACKET} bytes. */
  public void send(byte[] data, int offset, int length) {
    for (int at = offset; at < offset + length; at += MAX_PACKET) {
      int n = Math.min(MAX_PACKET, offset + length - at);
      SeqPacket.send(fd, Arrays.copyOfRange(data, at, at + n), n, WHAT);
    }
  }

  /** Half-closes: conmon then closes the container's stdin. */
  public void shutdownOutput() {
    SeqPacket.shutdown(fd, SeqPacket.SHUT_WR, WHAT);
  }

  /** Wakes a thread blocked in {@link #receive}, which then sees end of stream. */
  public void shutdownInput() {
    SeqPacket.shutdown(fd, SeqPacket.SHUT_RD, WHAT);
  }

  @Override
  public void close() {
    SeqPacket.close(fd, WHAT);
  }
}
