package dev.corral.api;

import dev.corral.core.CorralException;
import dev.corral.supervisor.task.AttachChannel;
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
 * What an attach turns the HTTP connection into, after the 101: bytes from the client go to the
 * process's stdin through its {@link AttachChannel}, and each chunk of output comes back as one
 * frame of 8 bytes of header (stream: 1 stdout, 2 stderr; three zero bytes; big-endian u32 length)
 * and the data. When the client half-closes, the process's stdin is closed; when the channel ends
 * (the process exited), the connection is closed.
 *
 * <p>Jetty calls {@link #onFillable} on its threads; a thread of our own ("corral-attach") pumps
 * the process's output to the client. The channel is closed once, under this object's lock.
 */
final class AttachConnection extends AbstractConnection {
  private static final Logger log = LoggerFactory.getLogger(AttachConnection.class);
  static final int HEADER = 8;

  private final AttachChannel channel;
  private final String what;
  private boolean channelClosed; // guarded by this

  AttachConnection(EndPoint endPoint, Executor executor, AttachChannel channel, String what) {
    super(endPoint, executor);
    this.channel = channel;
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
    ByteBuffer buf = BufferUtil.allocate(AttachChannel.MAX_CHUNK);
    try {
      while (true) {
        BufferUtil.clear(buf);
        int n = getEndPoint().fill(buf);
        if (n == 0) {
          fillInterested();
          return;
        }
        if (n < 0) {
          toChannel(null); // the client is done writing: close the process's stdin
          return;
        }
        toChannel(BufferUtil.toArray(buf));
      }
    } catch (IOException | CorralException e) {
      log.debug("{}: attach input ended: {}", what, e.toString());
      getEndPoint().close();
    }
  }

  private synchronized void toChannel(byte[] data) {
    if (channelClosed) {
      return;
    }
    if (data == null) {
      channel.shutdownOutput();
    } else {
      channel.write(data, 0, data.length);
    }
  }

  /** The process's output to the client, until the channel ends or the client leaves. */
  private void pump() {
    try {
      for (AttachChannel.Output o; (o = channel.read()) != null; ) {
        Callback.Completable written = new Callback.Completable();
        getEndPoint().write(written, ByteBuffer.wrap(frame(o)));
        written.get();
      }
    } catch (CorralException | ExecutionException e) {
      log.debug("{}: attach output ended: {}", what, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeChannel();
      getEndPoint().close();
    }
  }

  /** One chunk of output as a client frame. */
  static byte[] frame(AttachChannel.Output o) {
    ByteBuffer f = ByteBuffer.allocate(HEADER + o.data().length);
    f.put(o.stderr() ? (byte) 2 : (byte) 1).put(new byte[3]).putInt(o.data().length);
    f.put(o.data());
    return f.array();
  }

  @Override
  public void onClose(Throwable cause) {
    wakePump();
    super.onClose(cause);
  }

  private synchronized void wakePump() {
    if (!channelClosed) {
      channel.shutdownInput();
    }
  }

  private synchronized void closeChannel() {
    if (!channelClosed) {
      channelClosed = true;
      channel.close();
    }
  }
}
