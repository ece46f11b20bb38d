package dev.corral.runtime;

import dev.corral.core.ContainerRef;
import dev.corral.core.Ids;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The name conmon gives a container's socket entry ({@code -u}): {@code SOCKDIR/TOKEN} links to the
 * bundle and holds the attach socket. An id can be 76 characters and a unix socket path only 107
 * bytes, so the entry is a fixed 16-hex-digit digest of the id instead of the id itself; that
 * leaves 83 bytes for the socket dir. conmon still names exit files after {@code -c}, the real id.
 * A container of the {@code default} namespace digests its bare id (as before namespaces, so the
 * links of containers from then still match); one of another namespace digests {@code NS:ID}. No id
 * or exec token can contain a colon, so no two containers share a token.
 *
 * <p>Stateless; usable from any thread.
 */
public final class ShimToken {
  /** Length of a token. */
  public static final int LENGTH = 16;

  private ShimToken() {}

  public static String of(ContainerRef id) {
    return digest(name(id));
  }

  /** The token of one exec: a digest of {@code container/exec}, which no container id can be. */
  public static String ofExec(ContainerRef container, String execId) {
    return digest(name(container) + "/" + Ids.require("id", execId));
  }

  private static String name(ContainerRef id) {
    return id.inDefault() ? id.id() : id.namespace() + ":" + id.id();
  }

  private static String digest(String name) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, LENGTH / 2);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }
}
