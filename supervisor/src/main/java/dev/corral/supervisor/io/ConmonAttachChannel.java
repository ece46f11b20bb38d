package dev.corral.supervisor.io;

import dev.corral.runtime.SeqPacketSocket;
import dev.corral.supervisor.task.AttachChannel;
import java.util.Arrays;

/**
 * An {@link AttachChannel} over conmon's attach socket (SOCK_SEQPACKET): each packet conmon sends
 * is one stream byte (3 for stderr, else stdout) and the data.
 *
 * <p>One reader and one writer thread; close is the caller's, once.
 */
final class ConmonAttachChannel implements AttachChannel {
  private static final byte CONMON_STDERR = 3;

  private final SeqPacketSocket socket;
  private final byte[] packet = new byte[SeqPacketSocket.MAX_PACKET + 1]; // the reader thread

  ConmonAttachChannel(SeqPacketSocket socket) {
    this.socket = socket;
  }

  @Override
  public Output read() {
    int n = socket.receive(packet);
    if (n <= 0) {
      return null;
    }
    return new Output(packet[0] == CONMON_STDERR, Arrays.copyOfRange(packet, 1, n));
  }

  @Override
  public void write(byte[] data, int offset, int length) {
    socket.send(data, offset, length);
  }

  @Override
  public void shutdownOutput() {
    socket.shutdownOutput();
  }

  @Override
  public void shutdownInput() {
    socket.shutdownInput();
  }

  @Override
  public void close() {
    socket.close();
  }
}
