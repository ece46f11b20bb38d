package dev.corral.runtime.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EpollEventTest {
  @Test
  void isPackedToTwelveBytesOnX8664() {
    assertEquals(new EpollEvent(12, 4), EpollEvent.forArch("amd64"));
  }

  @Test
  void isNaturallyAlignedToSixteenBytesOnAarch64() {
    assertEquals(new EpollEvent(16, 8), EpollEvent.forArch("aarch64"));
  }

  @Test
  void decodesTheEventsAndTokenOfEachSlot() {
    for (EpollEvent layout :
        new EpollEvent[] {EpollEvent.forArch("amd64"), EpollEvent.forArch("aarch64")}) {
      byte[] buffer = layout.buffer(3);
      byte[] second = layout.encode(0x11, 0x1234_5678_9abcL);
      System.arraycopy(second, 0, buffer, layout.size(), layout.size());
      assertEquals(0x11, layout.events(buffer, 1));
      assertEquals(0x1234_5678_9abcL, layout.data(buffer, 1));
      assertEquals(0L, layout.data(buffer, 2));
    }
  }
}
