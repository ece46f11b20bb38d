package dev.corral.api;

import java.util.Set;
import java.util.function.IntSupplier;

/**
 * Who may call the API, judged on the peer credentials of the connection rather than on the
 * socket's mode, which an admin may loosen: root always; any uid in {@code uids}; any caller whose
 * primary gid is in {@code gids}, or, when no gid was given, the socket's own group. Supplementary
 * groups do not count: {@code SO_PEERCRED} carries only the primary one.
 *
 * <p>Immutable; usable from any thread.
 *
 * @param uids uids allowed besides root ({@code --allow-uid})
 * @param gids primary gids allowed ({@code --allow-gid}); empty means the socket's group
 */
public record AccessPolicy(Set<Integer> uids, Set<Integer> gids) {
  /** Root and the socket's group. */
  public static final AccessPolicy DEFAULT = new AccessPolicy(Set.of(), Set.of());

  public AccessPolicy {
    uids = Set.copyOf(uids);
    gids = Set.copyOf(gids);
  }

  /** Whether {@code peer} may call; {@code socketGroup} is asked only when the gid decides. */
  boolean allows(Peer peer, IntSupplier socketGroup) {
    if (peer.uid() == 0 || uids.contains(peer.uid())) {
      return true;
    }
    return gids.isEmpty() ? peer.gid() == socketGroup.getAsInt() : gids.contains(peer.gid());
  }
}
