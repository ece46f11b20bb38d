package dev.corral.runtime.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MountsTest {
  private static final List<String> MOUNTINFO =
      List.of(
          "22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw",
          "25 22 0:23 / /run rw,nosuid shared:5 - tmpfs tmpfs rw,mode=755",
          "40 22 0:40 / /var/lib/my\\040dir rw - xfs /dev/vdb rw",
          "41 25 0:41 / /run/corral rw - ext4 /dev/vdc rw",
          "42 41 0:42 / /run/corral rw,nosuid,nodev - tmpfs corral-state rw,mode=700");

  @Test
  void theLongestMountPointThatHoldsThePathWins() {
    assertEquals("ext4", Mounts.fsType(Path.of("/var/lib/corral"), MOUNTINFO));
    assertEquals("tmpfs", Mounts.fsType(Path.of("/run/user"), MOUNTINFO));
    assertEquals("xfs", Mounts.fsType(Path.of("/var/lib/my dir/x"), MOUNTINFO));
  }

  @Test
  void aMountStackedOnAnotherIsTheOneSeen() {
    assertEquals("tmpfs", Mounts.fsType(Path.of("/run/corral/runc"), MOUNTINFO));
  }

  @Test
  void aSizeIsWhatTmpfsTakes() {
    assertEquals("256m", Mounts.requireSize("256m"));
    assertEquals("10%", Mounts.requireSize("10%"));
    for (String bad : new String[] {"", "256mb", "-1", "1m,mode=777", "big"}) {
      org.junit.jupiter.api.Assertions.assertThrows(
          dev.corral.core.CorralException.class, () -> Mounts.requireSize(bad), bad);
    }
  }

  @Test
  void aPathPrefixThatIsNotAComponentDoesNotCount() {
    assertEquals("tmpfs", Mounts.fsType(Path.of("/run/corralx"), MOUNTINFO));
  }
}
