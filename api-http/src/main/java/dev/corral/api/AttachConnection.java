package dev.corral.api;

import dev.corral.core.CorralException;
import dev.corral.runtime.SeqPacketSocket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an attach turns the HTTP connection into, after the 101: bytes from the client go to
 * conmon's attach socket (the process's stdin), and each packet from conmon comes back as one frame
 * of 8 bytes of header (stream: 1 stdout, 2 stderr; three zero bytes; big-endian u32 length) and
 * the data. When the client half-closes, the process's stdin is closed; when conmon closes the
 * socket (the process exited), the connection is closed.
 *
 * <p>Jetty calls {@link #onFillable} on its threads; a thread of our own ("corral-attach") pumps
 * conmon's packets to the client. The socket is closed once, under this object's lock.
 */
final class AttachConnection extends AbstractConnection {
  private static final Logger log = LoggerFactory.getLogger(AttachConnection.class);
  private static final byte CONMON_STDERR = 3;
  static final int HEADER = 8;

  private final SeqPacketSocket socket;
  private final String what;
  private boolean socketClosed; // guarded by this

  AttachConnection(EndPoint endPoint, Executor executor, SeqPacketSocket socket, String what) {
    super(endPoint, executor);
    this.socket = socket;
    this.what = what;
  }

  @Override
  public void onOpen() {
    super.onOpen();
    getEndPoint().setIdleTimeout(0); // an attach may stay quiet for hours
    Thread pump = new Thread(this::pump, "corral-attach");
    pump.setDaemon(true);
    pump.start();
    fillInterested();
  }

  @Override
  public void onFillable() {
    ByteBuffer buf = BufferUtil.allocate(SeqPacketSocket.MAX_PACKET);
    try {
      while (true) {
        BufferUtil.clear(buf);
        int n = getEndPoint().fill(buf);
        if (n == 0) {
          fillInterested();
          return;
        }
        if (n < 0) {
          toSocket(null); // the client is done writing: close the process's stdin
          return;
        }
        toSocket(BufferUtil.toArray(buf));
      }
    } catch (IOException | CorralException e) {
      log.debug("{}: attach input ended: {}", what, e.toString());
      getEndPoint().close();
    }
  }

  private synchronized void toSocket(byte[] data) {
    if (socketClosed) {
      return;
    }
    if (data == null) {
      socket.shutdownOutput();
    } else {
      socket.send(data, 0, data.length);
    }
  }

  /** conmon's packets to the client, until conmon closes the socket or the client leaves. */
  private void pump() {
    byte[] packet = new byte[SeqPacketSocket.MAX_PACKET + 1];
    try {
      for (int n; (n = socket.receive(packet)) > 0; ) {
        Callback.Completable written = new Callback.Completable();
        getEndPoint().write(written, ByteBuffer.wrap(frame(packet, n)));
        written.get();
      }
    } catch (CorralException | ExecutionException e) {
      log.debug("{}: attach output ended: {}", what, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeSocket();
      getEndPoint().close();
    }
  }

  /** One conmon packet (stream byte + data) as a client frame. */
  static byte[] frame(byte[] packet, int length) {
    int size = length - 1;
    ByteBuffer f = ByteBuffer.allocate(HEADER + size);
    f.put(packet[0] == CONMON_STDERR ? (byte) 2 : (byte) 1).put(new byte[3]).putInt(size);
    f.put(packet, 1, size);
    return f.array();
  }

  @Override
  public void onClose(Throwable cause) {
    wakePump();
    super.onClose(cause);
  }

  private synchronized void wakePump() {
    if (!socketClosed) {
      socket.shutdownInput();
    }
  }

  private synchronized void closeSocket() {
    if (!socketClosed) {
      socketClosed = true;
      socket.close();
    }
  }
}
