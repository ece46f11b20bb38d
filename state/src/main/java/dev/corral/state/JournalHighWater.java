package dev.corral.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;

/**
 * The journal's high-water mark: the last seq ever handed out, kept apart from the segments so that
 * no single damaged, zeroed or missing segment can move seq backwards. The file {@code
 * DIR/high-water} holds two 16-byte slots {@code [u64 seq][u32 crc32 of seq][u32 magic]}; writes
 * alternate between them in place, so a write torn by a power loss still leaves the other slot, and
 * the reader takes the larger valid one. The file is created full size and fsynced once, then
 * mapped: moving the mark is a store into the page cache (no system call per batch; it survives a
 * crash of the daemon like any written page, and {@link #force} makes it durable). The page is
 * allocated already, so the mark keeps moving while the disk is full, which is what lets a full
 * disk delay the journal without ever letting seq be reused.
 *
 * <p>Thread contract: {@link #read} from any thread; {@link #write} on the journal's writer thread;
 * {@link #force} and {@link #close} from any thread (FileChannel is thread-safe).
 */
final class JournalHighWater implements AutoCloseable {
  static final String NAME = "high-water";
  private static final int SLOT = 16;
  private static final int MAGIC = 0x68776d31; // "hwm1"

  private final FileChannel channel;
  private final MappedByteBuffer map; // stored to by the writer thread; forced from any
  private final CRC32 crc = new CRC32(); // writer thread
  private int next; // writer thread: the slot the next write goes to
  private long written; // writer thread: the last seq written

  private JournalHighWater(FileChannel channel, long written) throws IOException {
    this.channel = channel;
    this.written = written;
    channel.write(ByteBuffer.allocate(2 * SLOT), 0); // full size before mapping
    this.map = channel.map(FileChannel.MapMode.READ_WRITE, 0, 2 * SLOT);
  }

  /** The mark in {@code dir}: the larger valid slot, 0 when the file is absent or both are bad. */
  static long read(Path dir) throws IOException {
    byte[] b;
    try {
      b = Files.readAllBytes(dir.resolve(NAME));
    } catch (NoSuchFileException absent) {
      return 0;
    }
    ByteBuffer buf = ByteBuffer.wrap(b);
    long best = 0;
    for (int at = 0; at + SLOT <= b.length && at < 2 * SLOT; at += SLOT) {
      best = Math.max(best, slot(buf, at));
    }
    return best;
  }

  private static long slot(ByteBuffer buf, int at) {
    long seq = buf.getLong(at);
    if (buf.getInt(at + 12) != MAGIC || buf.getInt(at + 8) != checksum(new CRC32(), seq)) {
      return 0;
    }
    return seq;
  }

  /** Opens (creating full size) the mark in {@code dir} and sets both slots to {@code seq}. */
  static JournalHighWater open(Path dir, long seq) throws IOException {
    FileChannel ch =
        FileChannel.open(
            dir.resolve(NAME),
            StandardOpenOption.CREATE,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE);
    try {
      JournalHighWater h = new JournalHighWater(ch, -1);
      h.put(seq);
      h.put(seq);
      h.map.force();
      ch.force(true);
      AtomicFiles.fsyncDir(dir);
      return h;
    } catch (IOException e) {
      ch.close();
      throw e;
    }
  }

  /** Writer thread: records that {@code seq} was handed out (no-op when it is not newer). */
  void write(long seq) {
    if (seq > written) {
      put(seq);
    }
  }

  private void put(long seq) {
    int at = next * SLOT;
    // The checksum and magic go last: a slot caught half-stored is invalid, the other one holds.
    map.putLong(at, seq).putInt(at + 8, checksum(crc, seq)).putInt(at + 12, MAGIC);
    next ^= 1;
    written = seq;
  }

  private static int checksum(CRC32 crc, long seq) {
    crc.reset();
    for (int shift = 56; shift >= 0; shift -= 8) {
      crc.update((int) (seq >>> shift) & 0xff);
    }
    return (int) crc.getValue();
  }

  void force() {
    map.force();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
