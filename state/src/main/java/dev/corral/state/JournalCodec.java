package dev.corral.state;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The journal's record framing: {@code [u32 length][u32 crc32 of payload][payload]}, big-endian.
 * The payload is seq, epoch second, nano, then type, id and pid as length-prefixed UTF-8 (-1 for
 * null), an optional status, then (added later, so older records end earlier) the reason and, when
 * any is there, a flags byte (1: a lost seq range follows, 2: a namespace, 4: a pod uid) with them,
 * in that order. The length and checksum let a reader tell a whole record from one torn by a crash
 * mid-write.
 *
 * <p>Stateless; usable from any thread.
 */
final class JournalCodec {
  static final int HEADER = 8;

  private static final int LOST = 1;
  private static final int NAMESPACE = 2;
  private static final int POD = 4;

  /** Larger than any real record (ids are at most 76 bytes); a bigger length means garbage. */
  static final int MAX_PAYLOAD = 4096;

  private JournalCodec() {}

  /** Whether any record surely fits in {@code remaining} bytes. */
  static boolean fits(int remaining) {
    return remaining >= HEADER + MAX_PAYLOAD;
  }

  /**
   * Appends one framed record for {@code e} at the buffer's position. {@code crc} is scratch state,
   * reused so the writer allocates nothing for it per record.
   */
  static void encode(StoredEvent e, ByteBuffer buf, CRC32 crc) {
    int start = buf.position();
    buf.position(start + HEADER);
    buf.putLong(e.seq()).putLong(e.epochSecond()).putInt(e.nano());
    putString(buf, e.type());
    putString(buf, e.id());
    putString(buf, e.pid());
    buf.put((byte) (e.status() == null ? 0 : 1));
    if (e.status() != null) {
      buf.putInt(e.status());
    }
    putString(buf, e.reason());
    int flags =
        (e.lostFirst() != null ? LOST : 0)
            | (e.namespace() != null ? NAMESPACE : 0)
            | (e.pod() != null ? POD : 0);
    if (flags != 0) {
      buf.put((byte) flags);
      if (e.lostFirst() != null) {
        buf.putLong(e.lostFirst()).putLong(e.lostLast());
      }
      if (e.namespace() != null) {
        putString(buf, e.namespace());
      }
      if (e.pod() != null) {
        putString(buf, e.pod());
      }
    }
    int end = buf.position();
    if (end - start - HEADER > MAX_PAYLOAD) {
      buf.position(start);
      throw new IllegalArgumentException("event " + e.seq() + ": record too large");
    }
    int limit = buf.limit();
    buf.limit(end).position(start + HEADER);
    crc.reset();
    crc.update(buf); // leaves the position at end
    buf.limit(limit);
    buf.putInt(start, end - start - HEADER).putInt(start + 4, (int) crc.getValue());
  }

  /**
   * Decodes the record at the buffer's position and moves past it; null (position unchanged) when
   * what is there is not a whole, intact record.
   */
  static StoredEvent decode(ByteBuffer buf) {
    int start = buf.position();
    if (buf.remaining() < HEADER) {
      return null;
    }
    int length = buf.getInt(start);
    int sum = buf.getInt(start + 4);
    if (length <= 0 || length > MAX_PAYLOAD || length > buf.remaining() - HEADER) {
      return null;
    }
    ByteBuffer payload = buf.duplicate().position(start + HEADER).limit(start + HEADER + length);
    CRC32 crc = new CRC32();
    crc.update(payload.duplicate());
    if ((int) crc.getValue() != sum) {
      return null;
    }
    try {
      StoredEvent e = payload(payload);
      buf.position(start + HEADER + length);
      return e;
    } catch (BufferUnderflowException | IllegalArgumentException malformed) {
      return null;
    }
  }

  private static StoredEvent payload(ByteBuffer p) {
    long seq = p.getLong();
    long sec = p.getLong();
    int nano = p.getInt();
    String type = getString(p);
    String id = getString(p);
    String pid = getString(p);
    Integer status = p.get() == 1 ? p.getInt() : null;
    // Records written before exits carried a reason end here.
    String reason = p.hasRemaining() ? getString(p) : null;
    int flags = p.hasRemaining() ? p.get() : 0;
    if ((flags & ~(LOST | NAMESPACE | POD)) != 0) {
      throw new IllegalArgumentException("unknown flags " + flags);
    }
    Long lostFirst = (flags & LOST) != 0 ? p.getLong() : null;
    Long lostLast = (flags & LOST) != 0 ? p.getLong() : null;
    String namespace = (flags & NAMESPACE) != 0 ? getString(p) : null;
    String pod = (flags & POD) != 0 ? getString(p) : null;
    if (p.hasRemaining()) {
      throw new IllegalArgumentException("trailing bytes");
    }
    return new StoredEvent(
        seq, sec, nano, type, id, pid, status, reason, lostFirst, lostLast, namespace, pod);
  }

  private static void putString(ByteBuffer buf, String s) {
    if (s == null) {
      buf.putShort((short) -1);
      return;
    }
    if (isAscii(s)) { // ids, pids and types always are: no byte[] per field
      buf.putShort((short) s.length());
      for (int i = 0; i < s.length(); i++) {
        buf.put((byte) s.charAt(i));
      }
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    buf.putShort((short) b.length).put(b);
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private static String getString(ByteBuffer p) {
    short n = p.getShort();
    if (n < 0) {
      return null;
    }
    byte[] b = new byte[n];
    p.get(b);
    return new String(b, StandardCharsets.UTF_8);
  }
}
