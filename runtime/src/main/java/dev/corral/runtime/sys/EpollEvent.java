package dev.corral.runtime.sys;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * The layout of {@code struct epoll_event} ({@code u32 events; u64 data}), which depends on the
 * architecture: the kernel marks it {@code __attribute__((packed))} on x86_64 only ({@code
 * EPOLL_PACKED} in include/uapi/linux/eventpoll.h, so that 64-bit and 32-bit x86 share one layout).
 * There it is 12 bytes with data at offset 4; on aarch64 (and other 64-bit architectures) natural
 * alignment makes it 16 bytes with data at offset 8. Getting this wrong reads garbage tokens from
 * every event after the first.
 *
 * <p>Immutable; safe from any thread. {@link Epoll#await} fills buffers laid out by {@link
 * #NATIVE}. Encodes into and decodes from plain byte arrays, which jnr-ffi copies to and from
 * native memory around each call.
 *
 * @param size bytes per event
 * @param dataOffset where the u64 data (our token) starts
 */
public record EpollEvent(int size, int dataOffset) {
  public static final EpollEvent NATIVE = forArch(System.getProperty("os.arch"));

  /** The layout for a JVM {@code os.arch} value ("amd64" on x86_64 Linux, "aarch64"). */
  static EpollEvent forArch(String osArch) {
    String arch = osArch.toLowerCase(Locale.ROOT);
    if (arch.equals("amd64") || arch.equals("x86_64")) {
      return new EpollEvent(12, 4);
    }
    return new EpollEvent(16, 8);
  }

  /** A buffer for epoll_wait with room for {@code count} events. */
  public byte[] buffer(int count) {
    return new byte[count * size];
  }

  byte[] encode(int events, long data) {
    byte[] event = buffer(1);
    view(event).putInt(0, events).putLong(dataOffset, data);
    return event;
  }

  public int events(byte[] buffer, int index) {
    return view(buffer).getInt(index * size);
  }

  public long data(byte[] buffer, int index) {
    return view(buffer).getLong(index * size + dataOffset);
  }

  private static ByteBuffer view(byte[] bytes) {
    return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
  }
}
